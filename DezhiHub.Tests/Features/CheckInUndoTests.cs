using System.Security.Claims;
using DezhiHub.Domain.Activities;
using DezhiHub.Domain.Attendance;
using DezhiHub.Domain;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Activities;
using DezhiHub.Web.Features.CheckIn;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Identity;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Tests.Features;

/// <summary><see cref="CheckInService.UndoAsync"/>: an organizer takes back a check-in recorded in error.</summary>
public sealed class CheckInUndoTests : IAsyncLifetime
{
    private static readonly DateTime Start = new(2026, 12, 31, 1, 0, 0, DateTimeKind.Utc); // 09:00 in Shanghai, 2 hours

    private FeatureHost _host = default!;
    private TestCity _city = default!;

    public async Task InitializeAsync()
    {
        _host = await FeatureHost.CreateAsync(demoData: false);
        _city = await TestCity.CreateAsync(_host);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private CheckInService Service => _host.Scoped<CheckInService>();

    [Fact]
    public async Task UndoingAWalkIn_RemovesTheRecord_GivesThePlaceBack_AndIsAuditedWithTheReason()
    {
        var id = await _city.PublishedActivityAsync(Start, "撤销测试", capacity: 1, walkIns: true);
        var walkIn = _city.Partner.Principal;
        var other = _city.Volunteer.Principal;
        _host.Clock.SetUtcNow(Start);
        await Service.ScanAsync(walkIn, id, CheckInPurpose.CheckIn);
        Assert.Equal(1, await WalkInCountAsync(id));
        Assert.Equal("CheckIn.Full", (await Assert.ThrowsAsync<DomainException>(() => Service.ScanAsync(other, id, CheckInPurpose.CheckIn))).Code);

        await Service.UndoAsync(await Organizer(), id, walkIn.RequiredUserId(), "  扫错了人  ");

        await using var db = _host.NewDb();
        Assert.False(await db.Attendance.AnyAsync(a => a.ActivityId == id));
        Assert.Equal(0, await WalkInCountAsync(id));
        Assert.Empty((await _host.Scoped<AttendanceService>().LiveRosterAsync(await Organizer(), id)).Entries);
        var entry = await db.AuditEntries.SingleAsync(a => a.Action == "attendance.check-in-undone");
        Assert.Equal(_city.Organizer.Name, entry.ActorName);
        Assert.Equal($"{id}/{walkIn.RequiredUserId()}", entry.EntityId);
        Assert.Contains("\"Reason\":\"扫错了人\"", entry.After);
        Assert.Contains("Screen", entry.Before);
        // The place is free again: the next walk-in gets it.
        Assert.Equal(CheckInOutcome.CheckedIn, (await Service.ScanAsync(other, id, CheckInPurpose.CheckIn)).Outcome);
    }

    [Fact]
    public async Task UndoingASignedUpPersonsCheckIn_LeavesThemMissing_AndTheCheckOutGoesWithIt()
    {
        var id = await _city.PublishedActivityAsync(Start, "撤销测试", capacity: 10);
        var person = _city.Resident.Principal;
        await _host.Scoped<SignUpService>().SignUpAsync(person, id);
        _host.Clock.SetUtcNow(Start);
        await Service.ScanAsync(person, id, CheckInPurpose.CheckIn);
        _host.Clock.Advance(TimeSpan.FromMinutes(30));
        await Service.ScanAsync(person, id, CheckInPurpose.CheckOut);

        await Service.UndoAsync(await Organizer(), id, person.RequiredUserId(), "代签错误");

        var entry = Assert.Single((await _host.Scoped<AttendanceService>().LiveRosterAsync(await Organizer(), id)).Entries);
        Assert.Equal((AttendanceStatus.Missing, false, null), (entry.Status, entry.WalkIn, entry.CheckedOutAtUtc));
        Assert.Equal(0, await WalkInCountAsync(id));
        // Checked in again afterwards, as a new record.
        Assert.Equal(CheckInOutcome.CheckedIn, (await Service.ScanAsync(person, id, CheckInPurpose.CheckIn)).Outcome);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task AReason_IsRequired_AndWithoutOneNothingChanges(string? reason)
    {
        var (id, person) = await CheckedInWalkInAsync();

        var refusal = await Assert.ThrowsAsync<DomainException>(async () => await Service.UndoAsync(await Organizer(), id, person, reason));

        Assert.Equal("CheckIn.ReasonRequired", refusal.Code);
        await AssertStillCheckedInAsync(id, person);
    }

    [Fact]
    public async Task AnOrganizerOfAnotherCommunity_AndAResident_AreRefused()
    {
        var (id, person) = await CheckedInWalkInAsync();

        await Assert.ThrowsAsync<AccessDeniedException>(async () => await Service.UndoAsync(_city.OtherOrganizer.Principal, id, person, "误操作"));
        await Assert.ThrowsAsync<AccessDeniedException>(async () => await Service.UndoAsync(_city.Resident.Principal, id, person, "误操作"));

        await AssertStillCheckedInAsync(id, person);
    }

    [Fact]
    public async Task CreditedAttendance_CannotBeUndone()
    {
        var (id, person) = await CheckedInWalkInAsync();
        _host.Clock.SetUtcNow(Start.AddHours(3));
        await _host.Scoped<AttendanceService>().ConfirmAsync(await Organizer(), id, []);

        var refusal = await Assert.ThrowsAsync<DomainException>(async () => await Service.UndoAsync(await Organizer(), id, person, "误操作"));

        Assert.Equal("CheckIn.AlreadyCredited", refusal.Code);
        await AssertStillCheckedInAsync(id, person);
    }

    [Fact]
    public async Task UndoingNothing_IsRefused_AsNotCheckedIn()
    {
        var (id, person) = await CheckedInWalkInAsync();
        var organizer = await Organizer();
        await Service.UndoAsync(organizer, id, person, "扫错了人");

        var twice = await Assert.ThrowsAsync<DomainException>(() => Service.UndoAsync(organizer, id, person, "再点一次"));
        var nobody = await Assert.ThrowsAsync<DomainException>(async () => await Service.UndoAsync(organizer, id, _city.Volunteer.Id, "扫错了人"));
        var noActivity = await Assert.ThrowsAsync<DomainException>(() => Service.UndoAsync(organizer, 987654, person, "扫错了人"));

        Assert.Equal(("CheckIn.NotCheckedIn", "CheckIn.NotCheckedIn", "Activity.NotFound"), (twice.Code, nobody.Code, noActivity.Code));
        Assert.Equal(0, await WalkInCountAsync(id));
        await using var db = _host.NewDb();
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "attendance.check-in-undone"));
    }

    private async Task<(int Id, int Person)> CheckedInWalkInAsync()
    {
        var id = await _city.PublishedActivityAsync(Start, "撤销测试", capacity: 10, walkIns: true);
        var person = _city.Partner.Principal;
        _host.Clock.SetUtcNow(Start);
        await Service.ScanAsync(person, id, CheckInPurpose.CheckIn);
        return (id, person.RequiredUserId());
    }

    private async Task AssertStillCheckedInAsync(int activityId, int person)
    {
        await using var db = _host.NewDb();
        Assert.True(await db.Attendance.AnyAsync(a => a.ActivityId == activityId && a.UserId == person));
        Assert.Equal(1, await WalkInCountAsync(activityId));
        Assert.False(await db.AuditEntries.AnyAsync(a => a.Action == "attendance.check-in-undone"));
    }

    private async Task<int> WalkInCountAsync(int activityId)
    {
        await using var db = _host.NewDb();
        return await db.Activities.Where(a => a.Id == activityId).Select(a => a.WalkInCount).SingleAsync();
    }

    private Task<ClaimsPrincipal> Organizer() => _host.SignInAsAsync(_city.Organizer.Phone);
}
