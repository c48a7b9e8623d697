using System.Security.Claims;
using Bunit;
using DezhiHub.Domain.Weddings;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Tests.Web;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Market;
using DezhiHub.Web.Features.Weddings;
using DezhiHub.Web.Platform.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace DezhiHub.Tests.Components;

/// <summary>"My bookings" (/bookings) on the real booking engine with a fake clock: order, history, voucher, cancelling.</summary>
public sealed class BookingMyBookingsTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private ComponentHost _host = default!;
    private IRenderedComponent<MudDialogProvider> _dialogs = default!;
    private ClaimsPrincipal _resident = default!;
    private ClaimsPrincipal _admin = default!;

    public async Task InitializeAsync()
    {
        _host = await ComponentHost.CreateWithCityAsync();
        _resident = _host.City.Resident.Principal;
        _admin = _host.City.Admin.Principal;
        _host.SignIn(_resident);
        _dialogs = _host.Bunit.Render<MudDialogProvider>();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task UpcomingBookingsComeFirst_EachWithItsHistory_TheDeclineReason_AndTheVoucherOnceApproved()
    {
        using var culture = CultureScope.Use("zh-CN");
        var office = await ResourceAsync(WeddingServiceKind.RegistrationAppointment, approval: false, capacity: 4, name: "我的预约测试登记处");
        var hall = await ResourceAsync(WeddingServiceKind.CeremonyHall, name: "我的预约测试礼堂");
        var classes = await ResourceAsync(WeddingServiceKind.CounselingSession, capacity: 20, name: "我的预约测试辅导");
        var early = await BookAsync(office, Slot(2, 8));
        var later = await BookAsync(classes, Slot(9, 12));
        var declined = await BookAsync(hall, Slot(4, 16));
        await _host.Features.Scoped<BookingReviewService>().DeclineAsync(_admin, declined, "当天礼堂检修");
        var soon = await BookAsync(office, Slot(3, 8));
        _host.Features.Clock.Advance(TimeSpan.FromDays(2.5));

        var page = _host.Bunit.Render<MyBookingsPage>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=my-booking]")), Wait);
        var ids = page.FindAll("[data-testid=my-booking]").Select(e => int.Parse(e.GetAttribute("data-booking-id")!)).ToList();
        var past = page.Markup.IndexOf("已结束", StringComparison.Ordinal);
        Assert.True(ids.IndexOf(soon) < ids.IndexOf(later), "upcoming bookings soonest first");
        Assert.True(ids.IndexOf(later) < ids.IndexOf(early), "the one that is over comes after the upcoming ones");
        Assert.True(past > 0 && past < page.Markup.IndexOf($"data-booking-id=\"{early}\"", StringComparison.Ordinal), "under 已结束");

        var approved = Card(page, soon);
        Assert.Equal("Approved", approved.GetAttribute("data-status"));
        Assert.Equal("已通过", approved.QuerySelector("[data-testid=my-booking-status]")!.TextContent.Trim());
        var token = _host.Features.Get<BookingVouchers>().Issue(soon);
        Assert.Equal(BookingPageText.QrSource("http://localhost/", token), approved.QuerySelector("[data-testid=my-booking-qr]")!.GetAttribute("src"));
        Assert.Equal(Vouchers.Grouped(token), approved.QuerySelector("[data-testid=my-booking-code]")!.TextContent.Trim());
        Assert.Matches("^(\\S{4} ){5}\\S{2}$", approved.QuerySelector("[data-testid=my-booking-code]")!.TextContent.Trim());

        var refused = Card(page, declined);
        Assert.Equal(_host.Text("MyBookings.DeclineReason", "当天礼堂检修"), refused.QuerySelector("[data-testid=my-booking-reason]")!.TextContent.Trim());
        var steps = refused.QuerySelectorAll("[data-testid=my-booking-step]");
        Assert.Equal(["Requested", "Declined"], steps.Select(s => s.GetAttribute("data-status")));
        Assert.Contains("当天礼堂检修", steps[1].TextContent, StringComparison.Ordinal);
        Assert.Null(refused.QuerySelector("[data-testid=my-booking-qr]"));
        Assert.Null(refused.QuerySelector("[data-testid=my-booking-cancel]"));

        var requested = Card(page, later);
        Assert.Equal("待审核", requested.QuerySelector("[data-testid=my-booking-status]")!.TextContent.Trim());
        Assert.Null(requested.QuerySelector("[data-testid=my-booking-qr]"));
        Assert.NotNull(requested.QuerySelector("[data-testid=my-booking-cancel]"));
        Assert.Null(Card(page, early).QuerySelector("[data-testid=my-booking-cancel]"));
    }

    [Fact]
    public async Task Cancelling_AsksFirst_ThenCancels_AndGivesTheSlotBack()
    {
        using var culture = CultureScope.Use("zh-CN");
        var hall = await ResourceAsync(WeddingServiceKind.CeremonyHall, name: "取消测试礼堂");
        var start = Slot(6, 8);
        var id = await BookAsync(hall, start);
        var page = _host.Bunit.Render<MyBookingsPage>();
        page.WaitForAssertion(() => Assert.NotNull(Card(page, id).QuerySelector("[data-testid=my-booking-cancel]")), Wait);
        Assert.Contains("前可取消", Card(page, id).QuerySelector("[data-testid=my-booking-cutoff]")!.TextContent, StringComparison.Ordinal);

        // Changed their mind: nothing happens.
        Card(page, id).QuerySelector("[data-testid=my-booking-cancel]")!.Click();
        Assert.Contains("取消测试礼堂", _dialogs.WaitForElement(".mud-dialog", Wait).TextContent, StringComparison.Ordinal);
        DialogButton("返回").Click();
        _dialogs.WaitForAssertion(() => Assert.Empty(_dialogs.FindAll(".mud-dialog")), Wait);
        Assert.Equal(BookingStatus.Requested, await StatusAsync(id));

        Card(page, id).QuerySelector("[data-testid=my-booking-cancel]")!.Click();
        DialogButton("确定取消").Click();

        page.WaitForAssertion(() => Assert.Equal("Cancelled", Card(page, id).GetAttribute("data-status")), Wait);
        Assert.Equal("已取消", Card(page, id).QuerySelector("[data-testid=my-booking-status]")!.TextContent.Trim());
        Assert.Equal(["Requested", "Cancelled"], Card(page, id).QuerySelectorAll("[data-testid=my-booking-step]").Select(s => s.GetAttribute("data-status")));
        Assert.Null(Card(page, id).QuerySelector("[data-testid=my-booking-cancel]"));
        Assert.Equal(BookingStatus.Cancelled, await StatusAsync(id));
        var day = (await Bookings().AvailabilityAsync(hall, DateOnly.FromDateTime(Time.ToLocal(start)), 1)).Days[0];
        Assert.Equal(SlotState.Free, day.Slots.Single(s => s.StartUtc == start).State);
        Assert.Contains(_host.Text("MyBookings.Cancelled"), _host.Bunit.Services.GetRequiredService<ISnackbar>().ShownSnackbars.Select(s => s.Message));
    }

    [Fact]
    public async Task PastTheCutoff_TheBookingCanNoLongerBeCancelled_AndSaysSo()
    {
        using var culture = CultureScope.Use("en-US");
        var office = await ResourceAsync(WeddingServiceKind.RegistrationAppointment, approval: false, capacity: 4);
        var id = await BookAsync(office, Slot(3, 8));
        _host.Features.Clock.Advance(TimeSpan.FromDays(2));

        var page = _host.Bunit.Render<MyBookingsPage>();

        page.WaitForAssertion(() => Assert.Equal("The cancellation deadline has passed", Card(page, id).QuerySelector("[data-testid=my-booking-cutoff]")!.TextContent.Trim()), Wait);
        Assert.Null(Card(page, id).QuerySelector("[data-testid=my-booking-cancel]"));
        Assert.NotNull(Card(page, id).QuerySelector("[data-testid=my-booking-qr]"));
        Assert.Equal("Approved", Card(page, id).QuerySelector("[data-testid=my-booking-status]")!.TextContent.Trim());
    }

    private DisplayTime Time => _host.Features.Get<DisplayTime>();

    private BookingService Bookings() => _host.Features.Scoped<BookingService>();

    /// <summary>A slot of the test services (08:00, 12:00, 16:00 local) <paramref name="days"/> days from the fake clock's today, as UTC.</summary>
    private DateTime Slot(int days, int hour) =>
        Time.ToUtc(DateOnly.FromDateTime(Time.LocalNow).AddDays(days).ToDateTime(new TimeOnly(hour, 0)));

    private Task<int> ResourceAsync(WeddingServiceKind kind, bool approval = true, int capacity = 1, string? name = null) =>
        BookingTestData.ResourceAsync(_host.Features.Services, kind, approval, capacity, name: name, nowUtc: _host.Features.Clock.GetUtcNow().UtcDateTime);

    private Task<int> BookAsync(int resourceId, DateTime startUtc) => Bookings().BookAsync(_resident, resourceId, startUtc, "孙丽", null);

    private async Task<BookingStatus> StatusAsync(int bookingId)
    {
        await using var db = _host.Features.NewDb();
        return await db.Bookings.Where(b => b.Id == bookingId).Select(b => b.Status).SingleAsync();
    }

    private static AngleSharp.Dom.IElement Card(IRenderedComponent<MyBookingsPage> page, int bookingId) =>
        page.Find($"[data-testid=my-booking][data-booking-id=\"{bookingId}\"]");

    private AngleSharp.Dom.IElement DialogButton(string text)
    {
        _dialogs.WaitForElement(".mud-dialog", Wait);
        return _dialogs.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == text);
    }
}
