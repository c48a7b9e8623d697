using System.Text.Json;
using DezhiHub.Domain.Activities;
using DezhiHub.Domain.Attendance;
using DezhiHub.Domain.Auditing;
using DezhiHub.Domain.Weddings;
using DezhiHub.Domain;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Activities;
using DezhiHub.Web.Features.Auditing;
using DezhiHub.Web.Features.CheckIn;
using DezhiHub.Web.Features.Weddings;
using DezhiHub.Web.Platform.Auditing;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform.Localization;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Tests.Features;

/// <summary>
/// What residents do that the audit log keeps (decision 0010): sign-ups, cancellations and the waitlist moving up, booking
/// requests and their cancellation — each written with the change, so a refusal leaves no entry. Self check-ins by code
/// are not entries: the attendance row is their record.
/// </summary>
public sealed class AuditEntriesTests : IAsyncLifetime
{
    private FeatureHost _host = default!;
    private TestCity _city = default!;

    public async Task InitializeAsync()
    {
        _host = await FeatureHost.CreateAsync(demoData: false);
        _city = await TestCity.CreateAsync(_host);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ASignUp_ItsCancellation_AndTheWaitlistMovingUp_AreAudited_AndARefusalIsNot()
    {
        var start = new DateTime(2026, 12, 30, 1, 0, 0, DateTimeKind.Utc);
        var id = await _city.PublishedActivityAsync(start, "审计报名测试", capacity: 1);
        var volunteer = _city.Volunteer.Principal;
        var resident = _city.Resident.Principal;
        var signUps = _host.Scoped<SignUpService>();
        var since = await LastEntryIdAsync();

        await signUps.SignUpAsync(volunteer, id);
        await signUps.SignUpAsync(resident, id);
        await Assert.ThrowsAsync<DomainException>(() => signUps.SignUpAsync(resident, id)); // already on the waitlist
        await signUps.CancelAsync(volunteer, id);

        var entries = await EntriesAsync(SignUpService.RegistrationEntity, since);
        Assert.Equal(
            [
                ("activity.signed-up", _city.Volunteer.Name, $"{id}/{volunteer.RequiredUserId()}", null, "Confirmed"),
                ("activity.signed-up", _city.Resident.Name, $"{id}/{resident.RequiredUserId()}", null, "Waitlisted"),
                ("activity.sign-up-cancelled", _city.Volunteer.Name, $"{id}/{volunteer.RequiredUserId()}", "Confirmed", "Cancelled"),
                ("activity.waitlist-promoted", AuditTrail.SystemActor, $"{id}/{resident.RequiredUserId()}", "Waitlisted", "Confirmed"),
            ],
            entries.Select(e => (e.Action, e.ActorName, e.EntityId, Field(e.Before, "Status"), Field(e.After, "Status"))));
        Assert.All(entries, e => Assert.Equal("审计报名测试", Field(e.After, "Activity")));
        Assert.Equal(resident.RequiredUserId().ToString(), Field(entries[3].After, "UserId"));
        // Filed under the host, so its organizers see them.
        var hongxing = _city.Community.Id;
        Assert.All(entries, e => Assert.Equal(hongxing, e.OrgNodeId));
        var seen = await _host.Scoped<AuditLogQuery>().SearchAsync(_city.Organizer.Principal, new AuditFilter("activity."));
        Assert.Equal(4, seen.Items.Count(i => i.EntityType == SignUpService.RegistrationEntity));
    }

    [Fact]
    public async Task ABookingRequest_AndTheResidentsCancellation_AreAudited_AndATakenSlotLeavesNoEntry()
    {
        var hall = await HallAsync();
        var slot = _host.Get<DisplayTime>().ToUtc(new DateTime(2026, 12, 12, 9, 0, 0));
        var resident = _city.Resident.Principal;
        var bookings = _host.Scoped<BookingService>();
        var since = await LastEntryIdAsync();

        var booking = await bookings.BookAsync(resident, hall, slot, "王芳", null);
        await Assert.ThrowsAsync<DomainException>(async () => await bookings.BookAsync(_city.Volunteer.Principal, hall, slot, null, null));
        await bookings.CancelAsync(resident, booking);

        var entries = await EntriesAsync(BookingEngine.Entity, since);
        Assert.Equal(
            [
                ("booking.requested", _city.Resident.Name, booking.ToString(), null, "Requested"),
                ("booking.cancelled", _city.Resident.Name, booking.ToString(), "Requested", "Cancelled"),
            ],
            entries.Select(e => (e.Action, e.ActorName, e.EntityId, Field(e.Before, "Status"), Field(e.After, "Status"))));
        Assert.All(entries, e => Assert.Equal(("审计礼堂", "2026-12-12T01:00:00Z"), (Field(e.After, "Resource"), Field(e.After, "SlotStartUtc"))));
    }

    [Fact]
    public async Task ScansByCodeOrCard_AreNotAuditEntries_TheAttendanceRowSaysWhoRecordedThemWhenAndHow()
    {
        var start = new DateTime(2026, 12, 30, 1, 0, 0, DateTimeKind.Utc);
        var id = await _city.PublishedActivityAsync(start, "审计签到测试", walkIns: true);
        var resident = _city.Resident.Principal;
        var organizer = _city.Organizer.Principal;
        var volunteerId = (_city.Volunteer.Principal).RequiredUserId();
        _host.Clock.SetUtcNow(start);
        await using (var db = _host.NewDb())
        {
            await db.AuditEntries.ExecuteDeleteAsync();
        }

        await _host.Scoped<CheckInService>().ScanAsync(resident, id, CheckInPurpose.CheckIn);
        await _host.Scoped<CheckInService>().RecordForAsync(organizer, id, volunteerId, CheckInPurpose.CheckIn, CheckInMethod.Card, null);

        await using var check = _host.NewDb();
        Assert.False(await check.AuditEntries.AnyAsync());
        var rows = await check.Attendance.AsNoTracking().Where(a => a.ActivityId == id).OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(
            [(resident.RequiredUserId(), CheckInMethod.Screen, (int?)null, start), (volunteerId, CheckInMethod.Card, organizer.RequiredUserId(), start)],
            rows.Select(r => (r.UserId, r.CheckInMethod, r.RecordedByUserId, r.CheckedInAtUtc)));
    }

    /// <summary>The entries of one entity type written since <paramref name="afterId"/>.</summary>
    private async Task<List<AuditEntry>> EntriesAsync(string entityType, long afterId)
    {
        await using var db = _host.NewDb();
        return await db.AuditEntries.AsNoTracking().Where(a => a.EntityType == entityType && a.Id > afterId).OrderBy(a => a.Id).ToListAsync();
    }

    private async Task<long> LastEntryIdAsync()
    {
        await using var db = _host.NewDb();
        return await db.AuditEntries.MaxAsync(a => (long?)a.Id) ?? 0;
    }

    private static string? Field(string? json, string name) =>
        json is null ? null
        : JsonDocument.Parse(json).RootElement.TryGetProperty(name, out var value) ? (value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText())
        : null;

    /// <summary>A 红星社区 hall open every day 09:00–17:00 in four-hour slots, bookable from today.</summary>
    private async Task<int> HallAsync()
    {
        await using var db = _host.NewDb();
        var node = await db.OrgNodes.SingleAsync(n => n.Name == "东湖社区");
        var resource = WeddingResource.Create(
            new WeddingResourceDetails
            {
                Kind = WeddingServiceKind.CeremonyHall,
                Name = "审计礼堂",
                Location = "红星社区党群服务中心",
                OrgNodeId = node.Id,
                Hours = string.Join(',', Enumerable.Repeat("09:00-17:00", 7)),
                SlotMinutes = 240,
                Rules = new BookingRules { MinNoticeDays = 0, MaxAdvanceDays = 180, HouseholdLimit = 5, CancelCutoffHours = 24 },
            },
            node.Path,
            _host.Clock.GetUtcNow().UtcDateTime);
        db.WeddingResources.Add(resource);
        await db.SaveChangesAsync();
        return resource.Id;
    }
}
