using System.Security.Claims;
using AngleSharp.Dom;
using Bunit;
using DezhiHub.Domain.Weddings;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Weddings;
using DezhiHub.Web.Features.Weddings.Plan;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Tests.Components;

/// <summary>
/// The one-stop wedding plan page on the real services and a copy of the demo database (the clock stands at Friday
/// 2026-11-27 09:00 in Shanghai): what a refused part shows, and retrying with an offered alternative.
/// </summary>
public sealed class WeddingPlanPageTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private const string Hall = "东湖社区礼堂";

    private ComponentHost _host = default!;
    private ClaimsPrincipal _couple = default!;
    private WeddingServices _services = default!;

    public async Task InitializeAsync()
    {
        _host = await ComponentHost.CreateWithCityAsync();
        _services = await _host.City.WeddingServicesAsync(Hall);
        _couple = _host.City.Volunteer.Principal;
        _host.SignIn(_couple);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task AHallTakenMeanwhile_IsNamedWithItsReason_NothingIsHeld_AndAnAlternativeReplacesItForTheRetry()
    {
        using var culture = CultureScope.Use("zh-CN");
        var hall = _services.Hall;
        var office = _services.Office;
        var page = RenderPage();

        // Saturday 12 December: the community hall in the morning; registration on Tuesday 1 December at 10:00.
        PickDay(page, "plan-day", "2026-12-12");
        Slot(page, "plan-step-hall", hall, "20261212T0100").Click();
        PickDay(page, "plan-registration-day", "2026-12-01");
        Slot(page, "plan-step-registration", office, "20261201T0200").Click();
        page.WaitForAssertion(() => Assert.Contains(_host.Text("Plan.Submit", 2), page.Find("[data-testid=plan-submit]").TextContent), Wait);

        // Another couple is quicker with the hall.
        await _host.Features.Scoped<BookingService>().BookAsync(_host.City.OtherOrganizer.Principal, hall, Utc("20261212T0100"), null, null);
        page.Find("[data-testid=plan-submit]").Click();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=plan-failure]")), Wait);
        var failure = page.Find("[data-testid=plan-failure]");
        Assert.Equal(nameof(WeddingServiceKind.CeremonyHall), failure.GetAttribute("data-part"));
        Assert.Equal(_host.Text("Plan.Failed", _host.Text("Wedding.Kind.CeremonyHall")), failure.QuerySelector("[data-testid=plan-failure-part]")!.TextContent.Trim());
        Assert.Equal(_host.Text("Booking.SlotTaken"), failure.QuerySelector("[data-testid=plan-failure-reason]")!.TextContent.Trim());
        Assert.Equal(_host.Text("Plan.NothingHeld"), failure.QuerySelector("[data-testid=plan-nothing-held]")!.TextContent.Trim());
        Assert.Empty(await _host.Features.Scoped<BookingService>().MineAsync(_couple));

        // The hall's slot now reads taken; the afternoon of the same day is offered first.
        Assert.Equal(nameof(SlotState.Taken), Slot(page, "plan-step-hall", hall, "20261212T0100").GetAttribute("data-state"));
        var alternatives = page.FindAll("[data-testid=plan-alternative]");
        Assert.NotEmpty(alternatives);
        Assert.DoesNotContain(alternatives, a => a.GetAttribute("data-start") == "20261212T0100" && a.GetAttribute("data-resource-id") == Id(hall));
        var first = alternatives[0];
        Assert.Equal((Id(hall), "20261212T0530"), (first.GetAttribute("data-resource-id"), first.GetAttribute("data-start")));
        Assert.Contains("12月12日 周六 13:30–17:30", first.TextContent);

        first.Click();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=plan-failure]")), Wait);
        var pick = Pick(page, WeddingServiceKind.CeremonyHall);
        Assert.Equal((Id(hall), "20261212T0530"), (pick.GetAttribute("data-resource-id"), pick.GetAttribute("data-start")));
        Assert.Contains("13:30–17:30", pick.QuerySelector("[data-testid=plan-pick-when]")!.TextContent);
        Assert.Contains(Hall, page.Find("[data-testid=plan-notice]").TextContent);
        Assert.Equal("true", Slot(page, "plan-step-hall", hall, "20261212T0530").GetAttribute("aria-pressed"));
        Assert.Equal(office.ToString(), Pick(page, WeddingServiceKind.RegistrationAppointment).GetAttribute("data-resource-id"));

        // One tap to retry: both parts are booked as one plan.
        page.Find("[data-testid=plan-submit]").Click();

        page.WaitForAssertion(() => Assert.Equal(_host.Text("Plan.Booked", 2), page.Find("[data-testid=plan-success-title]").TextContent.Trim()), Wait);
        var booked = page.FindAll("[data-testid=plan-booked]");
        Assert.Equal(
            [(nameof(WeddingServiceKind.CeremonyHall), nameof(BookingStatus.Requested)), (nameof(WeddingServiceKind.RegistrationAppointment), nameof(BookingStatus.Approved))],
            booked.Select(b => (b.GetAttribute("data-kind"), b.GetAttribute("data-status"))));
        Assert.Equal("/bookings", page.Find("[data-testid=plan-my-bookings]").GetAttribute("href"));
        var mine = await _host.Features.Scoped<BookingService>().MineAsync(_couple);
        Assert.Equal(2, mine.Count);
        Assert.Single(mine.Select(b => b.PlanId).Distinct());
        Assert.Contains(mine, b => b.ResourceId == hall && b.StartUtc == Utc("20261212T0530"));
    }

    [Fact]
    public async Task AHallOfferedOnTheNextDay_MovesTheWeddingDay_AndTheStewardWithIt()
    {
        using var culture = CultureScope.Use("zh-CN");
        var hall = _services.Hall;
        var steward = _services.Steward;
        var page = RenderPage();
        PickDay(page, "plan-day", "2026-12-12");
        Slot(page, "plan-step-hall", hall, "20261212T0100").Click();
        Slot(page, "plan-step-steward", steward, "20261211T2200").Click();

        // Both of the hall's slots that Saturday go to other couples.
        var engine = _host.Features.Scoped<BookingService>();
        await engine.BookAsync(_host.City.OtherOrganizer.Principal, hall, Utc("20261212T0100"), null, null);
        await engine.BookAsync(_host.City.Admin.Principal, hall, Utc("20261212T0530"), null, null);
        page.Find("[data-testid=plan-submit]").Click();

        page.WaitForAssertion(() => Assert.Equal(nameof(WeddingServiceKind.CeremonyHall), page.Find("[data-testid=plan-failure]").GetAttribute("data-part")), Wait);
        var sunday = page.Find($"[data-testid=plan-alternative][data-resource-id='{hall}']");
        Assert.Equal("20261213T0100", sunday.GetAttribute("data-start"));

        sunday.Click();

        page.WaitForAssertion(() => Assert.Equal("2026-12-13", page.Find("[data-testid=plan-day]").GetAttribute("value")), Wait);
        // The day changes first; the picks follow once the new day's slots are read (at once on SQLite, not on PostgreSQL).
        page.WaitForAssertion(() => Assert.Equal("20261213T0100", Pick(page, WeddingServiceKind.CeremonyHall).GetAttribute("data-start")), Wait);
        Assert.Equal((Id(steward), "20261212T2200"), (Pick(page, WeddingServiceKind.FolkSteward).GetAttribute("data-resource-id"), Pick(page, WeddingServiceKind.FolkSteward).GetAttribute("data-start")));
        Assert.Contains("总管也已换到当天", page.Find("[data-testid=plan-notice]").TextContent);
        Assert.Equal("true", Slot(page, "plan-step-steward", steward, "20261212T2200").GetAttribute("aria-pressed"));

        page.Find("[data-testid=plan-submit]").Click();

        page.WaitForAssertion(() => Assert.Equal(_host.Text("Plan.Booked", 2), page.Find("[data-testid=plan-success-title]").TextContent.Trim()), Wait);
        var mine = await engine.MineAsync(_couple);
        Assert.Equal([Utc("20261213T0100"), Utc("20261212T2200")], mine.OrderBy(b => b.Kind).Select(b => b.StartUtc));
    }

    [Fact]
    public async Task OnALotteryDate_TheHallsCannotBePicked_AndTheDayIsExplained()
    {
        using var culture = CultureScope.Use("zh-CN");
        var hall = _services.Hall;
        var page = RenderPage();

        PickDay(page, "plan-day", "2027-05-20");

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=plan-lottery]")), Wait);
        var note = page.Find("[data-testid=plan-lottery]");
        Assert.Contains("热门摇号日期", note.TextContent);
        Assert.Contains("不能放进一站式规划", note.TextContent);
        var slots = page.FindAll("[data-testid=plan-step-hall] [data-testid=plan-slot]");
        Assert.NotEmpty(slots);
        Assert.All(slots, s => Assert.True(s.HasAttribute("disabled"), s.OuterHtml));
        Assert.All(slots, s => Assert.Equal(nameof(SlotState.Lottery), s.GetAttribute("data-state")));
        Assert.Contains(page.FindAll("[data-testid=plan-enter-lottery]"), a => a.GetAttribute("href") == $"/weddings/services/{hall}?from=2027-05-20");

        Assert.Equal("false", Pick(page, WeddingServiceKind.CeremonyHall).GetAttribute("data-chosen"));
        Assert.True(page.Find("[data-testid=plan-submit]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task ASessionAfterTheChosenRegistration_IsNotOffered_InEnglishToo()
    {
        using var culture = CultureScope.Use("en-US");
        var office = _services.Office;
        var course = _services.Course;
        var page = RenderPage();

        // Registration on Tuesday 1 December at 10:00: the class on Saturday 28 November comes before it, the rest after.
        PickDay(page, "plan-registration-day", "2026-12-01");
        Slot(page, "plan-step-registration", office, "20261201T0200").Click();

        page.WaitForAssertion(() => Assert.Contains("After registration", Slot(page, "plan-step-counseling", course, "20261205T0100").TextContent), Wait);
        Assert.True(Slot(page, "plan-step-counseling", course, "20261205T0100").HasAttribute("disabled"));
        var before = Slot(page, "plan-step-counseling", course, "20261128T0100");
        Assert.False(before.HasAttribute("disabled"));
        Assert.Contains("30 places left", before.TextContent);

        before.Click();

        page.WaitForAssertion(() => Assert.Contains("Book these 2 parts at once", page.Find("[data-testid=plan-submit]").TextContent), Wait);
        Assert.Equal(course.ToString(), Pick(page, WeddingServiceKind.CounselingSession).GetAttribute("data-resource-id"));
    }

    private IRenderedComponent<WeddingPlanPage> RenderPage()
    {
        var page = _host.Bunit.Render<WeddingPlanPage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=plan-step-hall]")), Wait);
        return page;
    }

    /// <summary>Types a date into one of the page's date fields (what a phone's date picker does).</summary>
    private static void PickDay(IRenderedComponent<WeddingPlanPage> page, string input, string day) => page.Find($"[data-testid={input}]").Change(day);

    private static IElement Slot(IRenderedComponent<WeddingPlanPage> page, string step, int resourceId, string start)
    {
        IElement? slot = null;
        page.WaitForAssertion(
            () => slot = page.Find($"[data-testid={step}] [data-testid=plan-service][data-resource-id='{resourceId}'] [data-testid=plan-slot][data-start='{start}']"),
            Wait);
        return slot!;
    }

    private static IElement Pick(IRenderedComponent<WeddingPlanPage> page, WeddingServiceKind kind) =>
        page.Find($"[data-testid=plan-pick][data-kind={kind}]");

    private static string Id(int id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static DateTime Utc(string key) => BookingPageText.TryParseSlotKey(key, out var utc) ? utc : throw new ArgumentException(key);
}
