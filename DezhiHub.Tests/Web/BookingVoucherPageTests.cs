using System.Net;
using System.Text.RegularExpressions;
using DezhiHub.Domain.Accounts;
using DezhiHub.Domain.Weddings;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Weddings;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DezhiHub.Tests.Web;

/// <summary>
/// The booking voucher page a phone camera opens at the hall, over real HTTP: statically rendered, a forged code is
/// "invalid" and nothing else, only the staff of the booked service see the booking, and they record the arrival with
/// an antiforgery form, once.
/// </summary>
/// <remarks>Each test makes its own hall and applicant, so the shared demo database's bookings are not touched.</remarks>
[Collection(WebCollection.Name)]
public sealed partial class BookingVoucherPageTests(AppFactory app)
{
    [Fact]
    public async Task AForgedCode_IsInvalid_ForEveryone_AndNamesNothing()
    {
        var voucher = await VoucherAsync(daysFromToday: 0);
        var forged = voucher.Token[..5] + (voucher.Token[5] == 'A' ? 'B' : 'A') + voucher.Token[6..];
        using var anonymous = app.NewClient();
        using var staff = await SignedInAsync(Demo.OrganizerHongxing);

        foreach (var (client, code) in new[] { (anonymous, forged), (staff, forged), (staff, "not-a-voucher"), (anonymous, "AAAAAAAAAAAAAAAAAAAAAAAAAAA") })
        {
            var html = await PageAsync(client, BookingVouchers.PathPrefix + code);
            Assert.Contains("data-state=\"Invalid\"", html);
            Assert.Contains("无效的预约凭证", VisibleText(html));
            Assert.DoesNotContain(voucher.Hall, html);
            Assert.DoesNotContain("voucher-sign-in", html);
            Assert.DoesNotContain("voucher-details", html);
        }
    }

    [Fact]
    public async Task Anonymous_IsAskedToSignInAndComeBack_AndSeesNoBooking()
    {
        var voucher = await VoucherAsync(daysFromToday: 0);
        using var anonymous = app.NewClient();
        using var english = app.NewClient("en-US");
        var path = BookingVouchers.PathPrefix + voucher.Token;

        var html = await PageAsync(anonymous, path);

        Assert.Contains("data-state=\"SignIn\"", html);
        Assert.Contains("这是一张婚俗服务预约凭证", VisibleText(html));
        Assert.Contains($"/account/login?returnUrl={Uri.EscapeDataString(path)}", html);
        Assert.DoesNotContain(voucher.Hall, html);
        Assert.DoesNotContain(voucher.Applicant, html);
        Assert.DoesNotContain("voucher-details", html);
        Assert.Contains("noindex", html);
        Assert.Contains("This is a wedding service booking voucher", VisibleText(await PageAsync(english, path)));
    }

    [Fact]
    public async Task TheApplicantThemselves_AndAnOrganizerElsewhere_AreToldItIsForStaff_WithNoDetails()
    {
        var voucher = await VoucherAsync(daysFromToday: 0);
        using var applicant = app.NewClient();
        Assert.True(await applicant.SignInAsync(voucher.ApplicantPhone));
        using var otherOrganizer = await SignedInAsync(Demo.OrganizerHeping);
        using var partner = await SignedInAsync(Demo.Partner);

        foreach (var client in new[] { applicant, otherOrganizer, partner })
        {
            var html = await PageAsync(client, BookingVouchers.PathPrefix + voucher.Token);
            Assert.Contains("data-state=\"NotStaff\"", html);
            Assert.Contains("仅限服务的工作人员使用", VisibleText(html));
            Assert.DoesNotContain(voucher.Hall, html);
            Assert.DoesNotContain(voucher.Applicant[..1] + "*", html);
            Assert.DoesNotContain("voucher-details", html);
            Assert.DoesNotContain("voucher-arrive", html);
        }
    }

    [Fact]
    public async Task TheHallsStaff_OnTheDay_RecordTheArrivalOnce()
    {
        var voucher = await VoucherAsync(daysFromToday: 0);
        using var staff = await SignedInAsync(Demo.OrganizerHongxing);
        var path = BookingVouchers.PathPrefix + voucher.Token;

        var before = await PageAsync(staff, path);
        Assert.Contains("data-state=\"Staff\"", before);
        Assert.Matches($"data-testid=\"voucher-service\"[^>]*>{Regex.Escape(voucher.Hall)}<", before);
        Assert.Matches($"data-testid=\"voucher-applicant\"[^>]*>{Regex.Escape(PersonName.Masked(voucher.Applicant))}<", before);
        Assert.DoesNotContain(voucher.Applicant, before);
        Assert.Matches("data-testid=\"voucher-partner\"[^>]*>王芳<", before);
        Assert.Contains("data-testid=\"voucher-arrive\"", before);

        using var first = await staff.SubmitFormAsync(path, new Dictionary<string, string>());
        var firstHtml = WebUtility.HtmlDecode(await first.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("data-state=\"Done\"", firstHtml);
        Assert.Contains("data-already=\"false\"", firstHtml);
        var recorded = ArrivedAt().Match(VisibleText(firstHtml));
        Assert.True(recorded.Success, VisibleText(firstHtml));

        // A second tap (or a second phone) is told when it was recorded; nothing changes.
        using var second = await staff.SubmitFormAsync(path, new Dictionary<string, string>());
        var secondHtml = WebUtility.HtmlDecode(await second.Content.ReadAsStringAsync());
        Assert.Contains("data-already=\"true\"", secondHtml);
        Assert.Contains($"已于 {recorded.Groups["at"].Value} 登记到场", VisibleText(secondHtml));
        var after = await PageAsync(staff, path);
        Assert.DoesNotContain("data-testid=\"voucher-arrive\"", after);
        Assert.Contains($"已于 {recorded.Groups["at"].Value} 登记到场", VisibleText(after));

        await using var scope = app.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var booking = await db.Bookings.SingleAsync(b => b.Id == voucher.BookingId);
        Assert.Equal(BookingStatus.Completed, booking.Status);
        Assert.Equal(recorded.Groups["at"].Value, scope.ServiceProvider.GetRequiredService<DisplayTime>().ToLocal(booking.ArrivedAtUtc!.Value).ToString("HH:mm"));
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "booking.arrived" && a.EntityId == voucher.BookingId.ToString()));
    }

    [Fact]
    public async Task APartnerProvider_RecordsTheArrival_ForTheirOwnPackage()
    {
        var voucher = await VoucherAsync(daysFromToday: 0, partnerPackage: true);
        using var partner = await SignedInAsync(Demo.Partner, "en-US");
        var path = BookingVouchers.PathPrefix + voucher.Token;

        Assert.Contains("data-state=\"Staff\"", await PageAsync(partner, path));
        using var response = await partner.SubmitFormAsync(path, new Dictionary<string, string>());
        var text = VisibleText(WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));

        Assert.Matches(@"Arrival recorded at \d{2}:\d{2}", text);
    }

    [Fact]
    public async Task BeforeTheBookedDay_ThereIsNoButton_AndAPostIsRefused()
    {
        var voucher = await VoucherAsync(daysFromToday: 2);
        using var staff = await SignedInAsync(Demo.OrganizerHongxing);
        var path = BookingVouchers.PathPrefix + voucher.Token;

        var page = await PageAsync(staff, path);
        Assert.Contains("data-state=\"Staff\"", page);
        Assert.DoesNotContain("data-testid=\"voucher-arrive\"", page);
        Assert.Contains("还未到预约日期，不能登记到场。", VisibleText(page));

        using var response = await staff.SubmitFormAsync(path, new Dictionary<string, string>());
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("data-state=\"Refused\"", html);
        Assert.Contains("还未到预约日期，不能登记到场。", VisibleText(html));
        Assert.Equal(BookingStatus.Approved, await StatusAsync(voucher.BookingId));
    }

    [Fact]
    public async Task AnArrivalPost_WithoutTheAntiforgeryToken_IsRefused()
    {
        var voucher = await VoucherAsync(daysFromToday: 0);
        using var staff = await SignedInAsync(Demo.OrganizerHongxing);

        using var response = await staff.SubmitFormAsync(BookingVouchers.PathPrefix + voucher.Token, new Dictionary<string, string>(), includeAntiforgery: false);

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(BookingStatus.Approved, await StatusAsync(voucher.BookingId));
    }

    [Fact]
    public async Task TheReviewQueue_ShowsAPartnerTheirOwnRequests()
    {
        var voucher = await VoucherAsync(daysFromToday: 3, partnerPackage: true, approve: false);
        using var partner = await SignedInAsync(Demo.Partner);

        var html = await PageAsync(partner, "/bookings/review");

        // Prerendered with the default filter (requests awaiting review): the partner's own, phone masked.
        Assert.Contains(voucher.Hall, html);
        Assert.Contains(voucher.Applicant, html);
        Assert.Contains($"{voucher.ApplicantPhone[..3]}****{voucher.ApplicantPhone[7..]}", html);
        Assert.DoesNotContain(voucher.ApplicantPhone, html);
        Assert.Contains("data-testid=\"review-approve\"", html);
    }

    private async Task<AppClient> SignedInAsync(string phone, string? culture = null)
    {
        var client = app.NewClient(culture);
        Assert.True(await client.SignInAsync(phone));
        return client;
    }

    private sealed record Voucher(string Token, int BookingId, string Hall, string Applicant, string ApplicantPhone);

    /// <summary>
    /// A new hall of 红星社区 (or a package of the partner 陈静, offered in 城区) and an approved booking of it by a new
    /// resident for a slot <paramref name="daysFromToday"/> local days ahead. Written straight to the database so the slot
    /// may be today, whatever the time of day the test runs.
    /// </summary>
    private async Task<Voucher> VoucherAsync(int daysFromToday, bool partnerPackage = false, bool approve = true)
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var time = services.GetRequiredService<DisplayTime>();
        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var node = await db.OrgNodes.SingleAsync(n => n.Name == (partnerPackage ? "城区" : "红星社区"));
        var partnerId = await db.Users.Where(u => u.PhoneNumber == Demo.Partner).Select(u => u.Id).SingleAsync();
        var organizerId = await db.Users.Where(u => u.PhoneNumber == Demo.OrganizerHongxing).Select(u => u.Id).SingleAsync();
        var resource = WeddingResource.Create(
            new WeddingResourceDetails
            {
                Kind = partnerPackage ? WeddingServiceKind.AlliancePackage : WeddingServiceKind.CeremonyHall,
                Name = partnerPackage ? $"喜乐婚庆套餐{suffix}" : $"红星礼堂{suffix}",
                Location = "红星社区党群服务中心一楼",
                OrgNodeId = node.Id,
                ProviderUserId = partnerPackage ? partnerId : null,
                PriceCapYuan = partnerPackage ? 3000 : null,
                Hours = "00:00-23:30,00:00-23:30,00:00-23:30,00:00-23:30,00:00-23:30,00:00-23:30,00:00-23:30",
                SlotMinutes = 60,
            },
            node.Path,
            DateTime.UtcNow);
        db.WeddingResources.Add(resource);

        var phone = $"137{Random.Shared.Next(10_000_000, 99_999_999)}";
        var applicant = new AppUser
        {
            UserName = phone,
            NormalizedUserName = phone,
            PhoneNumber = phone,
            RealName = $"预约人{phone[^4..]}",
            OrgNodeId = node.Id,
            SecurityStamp = Guid.NewGuid().ToString("N"),
            CreatedAtUtc = DateTime.UtcNow,
        };
        applicant.PasswordHash = services.GetRequiredService<IPasswordHasher<AppUser>>().HashPassword(applicant, Demo.Password);
        db.Users.Add(applicant);
        await db.SaveChangesAsync();

        var day = time.LocalNow.Date.AddDays(daysFromToday);
        var start = time.ToUtc(day.AddHours(daysFromToday == 0 ? 0 : 9));
        var booking = Booking.Request(resource, applicant.Id, start, start.AddHours(1), "王芳", null, DateTime.UtcNow);
        if (approve)
        {
            booking.Approve(partnerPackage ? partnerId : organizerId, DateTime.UtcNow);
        }

        db.Bookings.Add(booking);
        await db.SaveChangesAsync();
        return new Voucher(services.GetRequiredService<BookingVouchers>().Issue(booking.Id), booking.Id, resource.Name, applicant.RealName, phone);
    }

    private async Task<BookingStatus> StatusAsync(int bookingId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await db.Bookings.Where(b => b.Id == bookingId).Select(b => b.Status).SingleAsync();
    }

    private static async Task<string> PageAsync(AppClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    /// <summary>The text a reader sees in the page's main part: tags (and the icons' path data) removed.</summary>
    private static string VisibleText(string html)
    {
        var main = html.IndexOf("<main", StringComparison.Ordinal) is var start and >= 0 ? html[start..] : html;
        return Regex.Replace(Tags().Replace(main, " "), @"\s+", " ");
    }

    [GeneratedRegex(@"已登记到场 (?<at>\d{2}:\d{2})")]
    private static partial Regex ArrivedAt();

    [GeneratedRegex("<script[^>]*>.*?</script>|<style[^>]*>.*?</style>|<[^>]+>", RegexOptions.Singleline)]
    private static partial Regex Tags();
}
