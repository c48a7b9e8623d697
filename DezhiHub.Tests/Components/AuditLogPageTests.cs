using System.Security.Claims;
using System.Text.RegularExpressions;
using Bunit;
using DezhiHub.Domain.Activities;
using DezhiHub.Domain.Attendance;
using DezhiHub.Domain.Market;
using DezhiHub.Domain.Weddings;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Activities;
using DezhiHub.Web.Features.Auditing;
using DezhiHub.Web.Features.CheckIn;
using DezhiHub.Web.Features.Market;
using DezhiHub.Web.Features.Organization;
using DezhiHub.Web.Features.Weddings;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform.Localization;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Tests.Components;

/// <summary>
/// The audit log page (审计日志) on real services: what a booking approval, a new reward and a manual check-in wrote
/// reads in the reader's language — field labels, state labels, people's names, node paths, local times — not as stored.
/// </summary>
public sealed partial class AuditLogPageTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private ComponentHost _host = default!;
    private ClaimsPrincipal _admin = default!;

    public async Task InitializeAsync()
    {
        _host = await ComponentHost.CreateWithCityAsync();
        _admin = _host.City.Admin.Principal;
        _host.SignIn(_admin);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("zh-CN", "状态: 待审核 → 已通过", "预约时段: ", "合作企业: 合作伙伴", "所属组织: ", "人员: 居民", "开始兑换: ")]
    [InlineData("en-US", "Status: Awaiting review → Approved", "Slot: ", "Partner enterprise: 合作伙伴", "Org node: ", "Person: 居民", "Available from: ")]
    public async Task Changes_ReadAsLabelledValues_WithNamesPathsAndLocalTimes(
        string culture, string approval, string slotLabel, string partner, string orgLabel, string person, string validFromLabel)
    {
        var features = _host.Features;
        var time = features.Get<DisplayTime>();
        var hongxing = _host.City.Community.Id;
        var slot = time.ToUtc(new DateTime(2026, 12, 12, 9, 0, 0));
        var validFrom = time.ToUtc(new DateTime(2026, 12, 1, 8, 0, 0));
        var booking = await features.Scoped<BookingService>().BookAsync(_host.City.Resident.Principal, await HallAsync(hongxing), slot, null, null);
        await features.Scoped<BookingReviewService>().ApproveAsync(_admin, booking);
        await features.Scoped<RewardCatalog>().CreateItemAsync(_admin, new RewardItemDetails
        {
            Name = "审计测试商品",
            PointsCost = 20,
            Stock = 5,
            OrgNodeId = hongxing,
            PartnerUserId = (_host.City.Partner.Principal).RequiredUserId(),
            ValidFromUtc = validFrom,
        });
        var start = new DateTime(2026, 12, 30, 1, 0, 0, DateTimeKind.Utc);
        var activity = await _host.City.PublishedActivityAsync(start, "审计页签到测试");
        await features.Scoped<SignUpService>().SignUpAsync(_host.City.Resident.Principal, activity);
        features.Clock.SetUtcNow(start);
        await features.Scoped<CheckInService>().RecordForAsync(
            _host.City.Organizer.Principal, activity, (_host.City.Resident.Principal).RequiredUserId(),
            CheckInPurpose.CheckIn, CheckInMethod.Manual, "老人没有手机");
        var path = (await features.Scoped<OrgTreeService>().FullNamesAsync([hongxing]))[hongxing];

        using var _ = CultureScope.Use(culture);
        var page = _host.Bunit.Render<AuditLogPage>();

        page.WaitForAssertion(() => Assert.Contains(page.FindAll("[data-testid=audit-change]"), c => c.TextContent.Contains(approval, StringComparison.Ordinal)), Wait);
        // One line per field, as the page shows them.
        var changes = page.FindAll("[data-testid=audit-change]")
            .Select(c => string.Join("\n", c.Children.Select(line => Spaced(line.TextContent)))).ToList();
        var approved = changes.Single(c => c.Contains(approval, StringComparison.Ordinal));
        Assert.Contains(slotLabel + Spaced(time.FormatDateTime(slot)), approved, StringComparison.Ordinal);
        var reward = changes.Single(c => c.Contains("审计测试商品", StringComparison.Ordinal));
        Assert.Contains(partner, reward, StringComparison.Ordinal);
        Assert.Contains(orgLabel + path, reward, StringComparison.Ordinal);
        Assert.Contains(validFromLabel + Spaced(time.FormatDateTime(validFrom)), reward, StringComparison.Ordinal);
        Assert.Contains(changes, c => c.Contains(person, StringComparison.Ordinal) && c.Contains("老人没有手机", StringComparison.Ordinal));
        // Nothing reads as the database wrote it: no field names, no ids where names belong, no ISO UTC times.
        var all = string.Join("\n", changes);
        Assert.DoesNotMatch(@"SlotStartUtc|UserId|OrgNodeId|ValidFromUtc|\d{4}-\d\d-\d\dT\d\d:\d\d", all);
    }

    /// <summary>Text with its runs of white space (English times have a narrow no-break space before "AM") as one space.</summary>
    private static string Spaced(string text) => Regex.Replace(text, @"\s+", " ").Trim();

    /// <summary>A hall of the node, open every day 09:00–17:00 in four-hour slots, needing approval.</summary>
    private async Task<int> HallAsync(int nodeId)
    {
        await using var db = _host.Features.NewDb();
        var node = await db.OrgNodes.SingleAsync(n => n.Id == nodeId);
        var resource = WeddingResource.Create(
            new WeddingResourceDetails
            {
                Kind = WeddingServiceKind.CeremonyHall,
                Name = "审计页礼堂",
                Location = "东湖社区党群服务中心",
                OrgNodeId = node.Id,
                Hours = string.Join(',', Enumerable.Repeat("09:00-17:00", 7)),
                SlotMinutes = 240,
                Rules = new BookingRules { MinNoticeDays = 0, MaxAdvanceDays = 180, HouseholdLimit = 5, CancelCutoffHours = 24, RequiresApproval = true },
            },
            node.Path,
            _host.Features.Clock.GetUtcNow().UtcDateTime);
        db.WeddingResources.Add(resource);
        await db.SaveChangesAsync();
        return resource.Id;
    }
}
