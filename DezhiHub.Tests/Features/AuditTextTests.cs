using DezhiHub.Tests.Components;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Auditing;
using DezhiHub.Web.Platform.Auditing;
using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web.Resources;
using DezhiHub.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace DezhiHub.Tests.Features;

/// <summary>
/// The audit log reads in the reader's language: every field any <c>AuditTrail.Record</c> call writes has a label in
/// both languages (read from the source, so a new field without one fails here), every action has a name, every state a
/// label; values read as people, paths, local times and words; what is not known still shows, as stored.
/// </summary>
public sealed class AuditTextTests : IDisposable
{
    public static TheoryData<string> Cultures => new() { "zh-CN", "en-US" };

    // Reading the sources takes a few seconds: once for all the tests here.
    private static readonly Lazy<(IReadOnlyList<AuditRecordCall> Calls, IReadOnlyList<string> Unreadable)> Scanned =
        new(() => AuditRecordCalls.Scan(LocalizationTests.WebProject));

    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().AddDezhiHubLocalization().BuildServiceProvider();
    private readonly DisplayTime _time = new(Options.Create(new DezhiHubOptions()), new FakeTimeProvider());

    private IStringLocalizer<Strings> Strings => _services.GetRequiredService<IStringLocalizer<Strings>>();

    public void Dispose() => _services.Dispose();

    [Fact]
    public void EveryRecordCall_IsRead_ToItsFieldNames()
    {
        var (calls, unreadable) = Scanned.Value;

        Assert.Empty(unreadable);
        // Spot checks that the reader follows what the code does: a local, a snapshot method, a dictionary, a nested list.
        Assert.True(calls.Count >= 50, $"only {calls.Count} Record calls found");
        // A domain event's handler writes the actions its event declares (BookingChanged.Approved, …).
        Assert.Contains(calls, c => c.Actions.Order().SequenceEqual(
            ["booking.approved", "booking.arrived", "booking.cancelled", "booking.completed", "booking.declined", "booking.expired", "booking.no-show", "booking.requested"])
            && c.Fields.SequenceEqual(["Reason", "Resource", "SlotStartUtc", "Status"]));
        Assert.Contains(calls, c => c.Actions.Contains("user.updated") && c.Fields.SequenceEqual(["Org", "Roles"]));
        Assert.Contains(calls, c => c.Actions.Contains("market.item-created") && c.Fields.Contains("PartnerUserId"));
        Assert.Contains(calls, c => c.Actions.Contains("wedding.resource-updated") && c.Fields.Contains("CancelCutoffHours"));
        Assert.Contains(calls, c => c.Actions.Contains("lottery.drawn") && c.Fields.Contains("Winner"));
        Assert.Contains(calls, c => c.Actions.SequenceEqual(["wedding.photo-added", "wedding.photo-removed"]) || c.Actions.SequenceEqual(["wedding.photo-removed", "wedding.photo-added"]));
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void EveryFieldTheCodeWrites_IsListed_AndHasALabel(string culture)
    {
        using var _ = CultureScope.Use(culture);
        var (calls, _) = Scanned.Value;

        var unlisted = calls.SelectMany(c => c.Fields.Where(f => !AuditFields.All.ContainsKey(f)).Select(f => $"{c.Location}: {f}")).ToList();
        var unlabelled = AuditFields.All.Keys.Where(f => Strings[AuditFields.LabelPrefix + f].ResourceNotFound).ToList();

        Assert.Empty(unlisted);
        Assert.Empty(unlabelled);
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void EveryActionTheCodeWrites_HasAName(string culture)
    {
        using var _ = CultureScope.Use(culture);
        var (calls, _) = Scanned.Value;

        Assert.Empty(calls.SelectMany(c => c.Actions.Where(a => Strings[$"AuditAction.{a}"].ResourceNotFound).Select(a => $"{c.Location}: {a}")));
    }

    [Fact]
    public void EveryEntityTypeThatWritesAStatus_SaysWhichStatesItHolds()
    {
        var (calls, _) = Scanned.Value;

        var unknown = calls.Where(c => c.Fields.Contains("Status"))
            .SelectMany(c => c.EntityTypes.Where(t => !AuditFields.Statuses.ContainsKey(t)).Select(t => $"{c.Location}: {t}")).ToList();

        Assert.Contains(calls, c => c.Actions.Contains("market.cancelled") && c.EntityTypes.SequenceEqual(["Redemption"]));
        Assert.Empty(unknown);
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void EveryStateAndKind_HasALabelForEachValue(string culture)
    {
        using var _ = CultureScope.Use(culture);
        var choices = AuditFields.All.Values.Concat(AuditFields.Statuses.Values).Where(f => f.Kind == AuditValue.Choice).ToList();

        var missing = choices.SelectMany(f => Enum.GetNames(f.Enum!).Select(v => string.Format(f.Labels!, v))).Where(k => Strings[k].ResourceNotFound).ToList();

        Assert.Equal(10, choices.Select(f => f.Enum).Distinct().Count());
        Assert.Empty(missing);
    }

    [Fact]
    public void ABookingApproval_ReadsAsLabelledChanges_WithLocalTime_InChineseAndEnglish()
    {
        var row = Row("Booking", """{"Status":"Requested"}""", """{"Status":"Approved","Resource":"红星礼堂","SlotStartUtc":"2026-12-12T02:00:00Z"}""");

        using (CultureScope.Use("zh-CN"))
        {
            Assert.Equal(["状态: 待审核 → 已通过", "服务: 红星礼堂", "预约时段: 2026年12月12日 10:00"], Lines(row, AuditNames.None));
        }

        using (CultureScope.Use("en-US"))
        {
            var slot = _time.FormatDateTime(new DateTime(2026, 12, 12, 2, 0, 0, DateTimeKind.Utc));
            Assert.StartsWith("Dec 12, 2026, 10:00", slot, StringComparison.Ordinal);
            Assert.Equal(["Status: Awaiting review → Approved", "Service: 红星礼堂", $"Slot: {slot}"], Lines(row, AuditNames.None));
        }
    }

    [Fact]
    public void PeopleNodesAndServices_ReadByName_AndNamesakesAreToldApartByTheirMaskedPhone()
    {
        var names = new AuditNames(
            new Dictionary<int, AuditPerson> { [4] = new("刘洋", "138****0004"), [7] = new("刘洋", "139****0007"), [5] = new("陈静", "138****0005") },
            new Dictionary<int, string> { [1] = "太行市", [2] = "城区", [3] = "东街街道", [9] = "红星社区" },
            new Dictionary<int, string> { [9] = "/1/2/3/9/" },
            new Dictionary<int, string> { [12] = "红星礼堂" });
        var row = Row("Activity", null, """{"UserId":5,"RejectedUserIds":[4,7],"OrgNodeId":9,"Path":"/1/2/3/","Roles":[],"Slots":[{"Resource":12,"Winner":31}],"Gone":44}""");

        using var _ = CultureScope.Use("zh-CN");

        Assert.Equal(
            [
                "人员: 陈静",
                "不予确认的人员: 刘洋（138****0004）、刘洋（139****0007）",
                "所属组织: 太行市 / 城区 / 东街街道 / 红星社区",
                "所在位置: 太行市 / 城区 / 东街街道",
                "角色: 居民",
                "摇号结果: 服务: 红星礼堂，中签预约: #31",
                "Gone: 44",
            ],
            Lines(row, names));
        // What the page looks up: the people, the nodes (a path's too) and the services named by id.
        var references = AuditText.References([row]);
        Assert.Equal([4, 5, 7], references.People.Order());
        Assert.Equal([1, 2, 3, 9], references.Nodes.Order());
        Assert.Equal([12], references.Services);
    }

    [Fact]
    public void OlderEntries_AndFieldsNobodyListed_StillRead()
    {
        using var _ = CultureScope.Use("zh-CN");

        // An old entry wrote a booking state as its number and a retirement flag as a boolean.
        Assert.Equal(["状态: 已通过 → 已完成", "已停用: 否 → 是"], Lines(Row("Booking", """{"Status":1,"IsRetired":false}""", """{"Status":5,"IsRetired":true}"""), AuditNames.None));
        // An unknown field keeps its name; a UTC time in it still reads in the deployment's zone; an unknown person is "#id".
        Assert.Equal(["NewThing: 2026年12月12日 10:00", "人员: #99", "状态: Whatever"], Lines(Row("Booking", null, """{"NewThing":"2026-12-12T02:00:00Z","UserId":99,"Status":"Whatever"}"""), AuditNames.None));
        Assert.Equal(["not json"], Lines(Row("Booking", null, "not json"), AuditNames.None));
        Assert.Empty(Lines(Row("Booking", null, null), AuditNames.None));
    }

    private List<string> Lines(AuditRow row, AuditNames names) =>
        [.. AuditText.Changes(Strings, _time, row, names).Select(c => (c.Label.Length > 0 ? $"{c.Label}: " : "") + (c.From is null ? "" : $"{c.From} → ") + c.To)];

    private static AuditRow Row(string entityType, string? before, string? after) =>
        new(1, new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc), "王建国", "test.action", entityType, "1", before, after);
}
