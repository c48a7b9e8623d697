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
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DezhiHub.Tests.Features;

/// <summary><see cref="AttendanceService"/> and the sweep's auto-confirmation on real SQLite with a fake clock.</summary>
public sealed class AttendanceServiceTests : IAsyncLifetime
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

    private AttendanceService Service => _host.Scoped<AttendanceService>();

    private CheckInService CheckIns => _host.Scoped<CheckInService>();

    [Fact]
    public async Task TheLiveRoster_ShowsMissing_CheckedIn_CheckedOut_AndWalkIns()
    {
        var id = await ActivityAsync(walkIns: true);
        var partner = await SignedUpAsync(id, _city.Partner.Phone);
        var volunteer = await SignedUpAsync(id, _city.Volunteer.Phone);
        await SignedUpAsync(id, _city.Resident.Phone);
        var walkIn = _city.Admin.Principal;
        _host.Clock.SetUtcNow(Start);
        await CheckIns.ScanAsync(partner, id, CheckInPurpose.CheckIn);
        await CheckIns.ScanAsync(volunteer, id, CheckInPurpose.CheckIn);
        await CheckIns.ScanAsync(walkIn, id, CheckInPurpose.CheckIn);
        _host.Clock.Advance(TimeSpan.FromMinutes(90));
        await CheckIns.ScanAsync(volunteer, id, CheckInPurpose.CheckOut);

        var roster = await Service.LiveRosterAsync(await Organizer(), id);

        Assert.Equal((3, 1, 1, 2, 1), (roster.SignedUp, roster.WalkIns, roster.Missing, roster.CheckedIn, roster.CheckedOut));
        Assert.Equal(AttendanceStatus.CheckedIn, roster.Entries.Single(e => e.UserId == partner.RequiredUserId()).Status);
        var outEntry = roster.Entries.Single(e => e.UserId == volunteer.RequiredUserId());
        Assert.Equal((AttendanceStatus.CheckedOut, Start, Start.AddMinutes(90), CheckInMethod.Screen), (outEntry.Status, outEntry.CheckedInAtUtc!.Value, outEntry.CheckedOutAtUtc!.Value, outEntry.CheckInMethod!.Value));
        Assert.True(roster.Entries.Single(e => e.UserId == walkIn.RequiredUserId()).WalkIn);
        Assert.Equal(AttendanceStatus.Missing, roster.Entries.Single(e => e.Status == AttendanceStatus.Missing).Status);
        Assert.Equal(_city.Resident.Phone[^4..], roster.Entries.Single(e => e.Status == AttendanceStatus.Missing).PhoneLast4);
        Assert.False(roster.Confirmed);
    }

    [Fact]
    public async Task AnOrganizerOfAnotherCommunity_IsRefused()
    {
        var id = await ActivityAsync();
        _host.Clock.SetUtcNow(Start.AddHours(3));
        var other = _city.OtherOrganizer.Principal;
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.LiveRosterAsync(other, id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.ConfirmAsync(other, id, []));
        await Assert.ThrowsAsync<AccessDeniedException>(async () => await Service.LiveRosterAsync(_city.Resident.Principal, id));
    }

    [Fact]
    public async Task AManualCheckIn_NeedsAReason_AndIsAudited_AndShowsAsManual()
    {
        var id = await ActivityAsync();
        var resident = await SignedUpAsync(id, _city.Resident.Phone);
        _host.Clock.SetUtcNow(Start);
        var organizer = await Organizer();
        Assert.Equal("CheckIn.ReasonRequired", (await Assert.ThrowsAsync<DomainException>(() =>
            CheckIns.RecordForAsync(organizer, id, resident.RequiredUserId(), CheckInPurpose.CheckIn, CheckInMethod.Manual, ""))).Code);

        await CheckIns.RecordForAsync(organizer, id, resident.RequiredUserId(), CheckInPurpose.CheckIn, CheckInMethod.Manual, "老人没有手机");
        _host.Clock.Advance(TimeSpan.FromHours(2));
        await CheckIns.RecordForAsync(organizer, id, resident.RequiredUserId(), CheckInPurpose.CheckOut, CheckInMethod.Manual, "代为签退");

        var entry = Assert.Single((await Service.LiveRosterAsync(organizer, id)).Entries);
        Assert.Equal((AttendanceStatus.CheckedOut, CheckInMethod.Manual, CheckInMethod.Manual), (entry.Status, entry.CheckInMethod!.Value, entry.CheckOutMethod!.Value));
        await using var db = _host.NewDb();
        Assert.Equal(["attendance.manual-check-in", "attendance.manual-check-out"],
            await db.AuditEntries.Where(a => a.Action.StartsWith("attendance.") && a.EntityId == $"{id}/{resident.RequiredUserId()}").OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
    }

    [Fact]
    public async Task Confirm_BeforeTheEnd_IsRefused()
    {
        var id = await ActivityAsync();
        _host.Clock.SetUtcNow(Start.AddMinutes(119));
        Assert.Equal("Attendance.NotEnded", (await Assert.ThrowsAsync<DomainException>(async () => await Service.ConfirmAsync(await Organizer(), id, []))).Code);
    }

    [Fact]
    public async Task Confirm_CreditsTheOverlap_TheConfirmedOpenOnesToTheEnd_TheRejectedNothing_Once()
    {
        var id = await ActivityAsync();
        var early = await SignedUpAsync(id, _city.Partner.Phone);
        var open = await SignedUpAsync(id, _city.Volunteer.Phone);
        var rejected = await SignedUpAsync(id, _city.Resident.Phone);
        _host.Clock.SetUtcNow(Start.AddMinutes(-10));
        await CheckIns.ScanAsync(early, id, CheckInPurpose.CheckIn);
        _host.Clock.SetUtcNow(Start.AddMinutes(20));
        await CheckIns.ScanAsync(open, id, CheckInPurpose.CheckIn);
        await CheckIns.ScanAsync(rejected, id, CheckInPurpose.CheckIn);
        _host.Clock.SetUtcNow(Start.AddMinutes(100));
        await CheckIns.ScanAsync(early, id, CheckInPurpose.CheckOut);
        _host.Clock.SetUtcNow(Start.AddHours(3));
        var organizer = await Organizer();

        var result = await Service.ConfirmAsync(organizer, id, [rejected.RequiredUserId()]);

        Assert.Equal(new AttendanceConfirmation(3, 2, 1, 1), result);
        var minutes = await CreditedAsync(id);
        Assert.Equal(100, minutes[early.RequiredUserId()]);
        Assert.Equal(100, minutes[open.RequiredUserId()]); // 09:20 to the scheduled end at 11:00
        Assert.Equal(0, minutes[rejected.RequiredUserId()]);
        Assert.True((await Service.LiveRosterAsync(organizer, id)).Confirmed);

        _host.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, (await Service.ConfirmAsync(organizer, id, [])).Credited);
        Assert.Equal(minutes, await CreditedAsync(id));
        await using var db = _host.NewDb();
        var audit = await db.AuditEntries.SingleAsync(a => a.Action == "attendance.confirmed" && a.EntityId == id.ToString());
        Assert.Contains("\"Credited\":3", audit.After);
    }

    [Fact]
    public async Task EachPersonsShare_AndWhyItDoesOrDoesNotCount_AreShownBeforeAndAfterConfirming_At59And60Percent()
    {
        var id = await ActivityAsync(walkIns: true);
        var sixty = _city.Partner.Principal;
        var fiftyNine = _city.Volunteer.Principal;
        var openSixty = _city.Resident.Principal;
        var openFiftyNine = _city.OtherOrganizer.Principal;
        var rejected = _city.Admin.Principal;
        _host.Clock.SetUtcNow(Start);
        await CheckIns.ScanAsync(sixty, id, CheckInPurpose.CheckIn);
        await CheckIns.ScanAsync(fiftyNine, id, CheckInPurpose.CheckIn);
        await CheckIns.ScanAsync(rejected, id, CheckInPurpose.CheckIn);
        _host.Clock.SetUtcNow(Start.AddMinutes(48));
        await CheckIns.ScanAsync(openSixty, id, CheckInPurpose.CheckIn); // never checks out: 72 of 120 minutes to the end
        _host.Clock.SetUtcNow(Start.AddMinutes(49).AddSeconds(30));
        await CheckIns.ScanAsync(openFiftyNine, id, CheckInPurpose.CheckIn); // 70.5 minutes to the end: 58.75 %
        _host.Clock.SetUtcNow(Start.AddMinutes(71).AddSeconds(50));
        await CheckIns.ScanAsync(fiftyNine, id, CheckInPurpose.CheckOut); // 71 min 50 s: 59.86 %
        _host.Clock.SetUtcNow(Start.AddMinutes(72));
        await CheckIns.ScanAsync(sixty, id, CheckInPurpose.CheckOut); // exactly 60 %
        _host.Clock.SetUtcNow(Start.AddHours(3));
        var organizer = await Organizer();

        var before = await Service.LiveRosterAsync(organizer, id);

        Assert.Equal((120, 60), (before.ScheduledMinutes, before.MinimumSharePercent));
        Assert.Equal(new AttendanceHours(72, 60, HoursOutcome.Counts, 72, Credited: false, UntilEnd: false), HoursOf(before, sixty));
        Assert.Equal(new AttendanceHours(71, 59, HoursOutcome.TooShort, 0, Credited: false, UntilEnd: false), HoursOf(before, fiftyNine));
        Assert.Equal(new AttendanceHours(72, 60, HoursOutcome.Counts, 72, Credited: false, UntilEnd: true), HoursOf(before, openSixty));
        Assert.Equal(new AttendanceHours(70, 58, HoursOutcome.TooShort, 0, Credited: false, UntilEnd: true), HoursOf(before, openFiftyNine));
        Assert.Equal(new AttendanceTally(3, 264, 2, 0), before.Tally()); // the rejected one would count to the end, 120 minutes
        Assert.Equal(new AttendanceTally(2, 144, 2, 1), before.Tally(new HashSet<int> { rejected.RequiredUserId() }));

        await Service.ConfirmAsync(organizer, id, [rejected.RequiredUserId()]);
        var after = await Service.LiveRosterAsync(organizer, id);

        Assert.True(after.Confirmed);
        Assert.Equal(new AttendanceHours(72, 60, HoursOutcome.Counts, 72, Credited: true, UntilEnd: false), HoursOf(after, sixty));
        Assert.Equal(new AttendanceHours(71, 59, HoursOutcome.TooShort, 0, Credited: true, UntilEnd: false), HoursOf(after, fiftyNine));
        Assert.Equal(new AttendanceHours(72, 60, HoursOutcome.Counts, 72, Credited: true, UntilEnd: false), HoursOf(after, openSixty));
        Assert.Equal(new AttendanceHours(70, 58, HoursOutcome.TooShort, 0, Credited: true, UntilEnd: false), HoursOf(after, openFiftyNine));
        Assert.Equal(HoursOutcome.NoCheckOut, HoursOf(after, rejected).Outcome);
        Assert.Equal(new AttendanceTally(2, 144, 2, 1), after.Tally());
        Assert.Equal(after.Tally(), after.Tally(new HashSet<int> { sixty.RequiredUserId() })); // a rejection only matters before confirming
        var credited = await CreditedAsync(id);
        Assert.Equal([72, 0, 72, 0, 0], new[] { sixty, fiftyNine, openSixty, openFiftyNine, rejected }.Select(p => credited[p.RequiredUserId()]));
    }

    [Fact]
    public async Task SomeoneWhoNeverCame_HasNoShare()
    {
        var id = await ActivityAsync();
        await SignedUpAsync(id, _city.Partner.Phone);
        _host.Clock.SetUtcNow(Start.AddHours(3));

        var entry = Assert.Single((await Service.LiveRosterAsync(await Organizer(), id)).Entries);

        Assert.Equal(AttendanceStatus.Missing, entry.Status);
        Assert.Null(entry.Hours);
    }

    [Theory]
    [InlineData(60, 0)]
    [InlineData(50, 66)]
    public async Task TheMinimumShare_IsConfigurable(int percent, int expectedMinutes)
    {
        _host.Services.GetRequiredService<IOptions<AttendanceOptions>>().Value.MinimumSharePercent = percent;
        var id = await ActivityAsync();
        var person = await SignedUpAsync(id, _city.Partner.Phone);
        _host.Clock.SetUtcNow(Start.AddMinutes(30));
        await CheckIns.ScanAsync(person, id, CheckInPurpose.CheckIn);
        _host.Clock.SetUtcNow(Start.AddMinutes(96)); // 66 of the 120 scheduled minutes: 55 %
        await CheckIns.ScanAsync(person, id, CheckInPurpose.CheckOut);
        _host.Clock.SetUtcNow(Start.AddHours(3));

        var before = await Service.LiveRosterAsync(await Organizer(), id);
        await Service.ConfirmAsync(await Organizer(), id, []);

        Assert.Equal(expectedMinutes, (await CreditedAsync(id))[person.RequiredUserId()]);
        Assert.Equal(percent, before.MinimumSharePercent);
        Assert.Equal((55, expectedMinutes), (HoursOf(before, person).SharePercent, HoursOf(before, person).Minutes));
    }

    [Fact]
    public async Task TheSweep_AutoConfirmsOnce_AfterTheConfiguredHours_CreditingOnlyThoseWhoCheckedOut()
    {
        var id = await ActivityAsync();
        var left = await SignedUpAsync(id, _city.Partner.Phone);
        var stayed = await SignedUpAsync(id, _city.Volunteer.Phone);
        _host.Clock.SetUtcNow(Start);
        await CheckIns.ScanAsync(left, id, CheckInPurpose.CheckIn);
        await CheckIns.ScanAsync(stayed, id, CheckInPurpose.CheckIn);
        _host.Clock.SetUtcNow(Start.AddHours(2));
        await CheckIns.ScanAsync(left, id, CheckInPurpose.CheckOut);

        var end = Start.AddHours(2);
        Assert.Equal(0, (await SweepAsync(end.AddHours(23))).AttendanceConfirmed);
        Assert.Empty(await CreditedAsync(id));

        Assert.Equal(1, (await SweepAsync(end.AddHours(24).AddMinutes(1))).AttendanceConfirmed);
        var minutes = await CreditedAsync(id);
        Assert.Equal(120, minutes[left.RequiredUserId()]);
        Assert.Equal(0, minutes[stayed.RequiredUserId()]);
        Assert.Equal(0, (await SweepAsync(end.AddHours(30))).AttendanceConfirmed);
        Assert.Equal(minutes, await CreditedAsync(id));
        await using var db = _host.NewDb();
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "attendance.auto-confirmed" && a.EntityId == id.ToString()));
    }

    [Fact]
    public async Task TheSweep_NeverCreditsAgain_AfterAManualConfirm()
    {
        var id = await ActivityAsync();
        var person = await SignedUpAsync(id, _city.Partner.Phone);
        _host.Clock.SetUtcNow(Start);
        await CheckIns.ScanAsync(person, id, CheckInPurpose.CheckIn);
        _host.Clock.SetUtcNow(Start.AddHours(3));
        await Service.ConfirmAsync(await Organizer(), id, []);
        var before = await CreditedAsync(id);
        Assert.Equal(120, before[person.RequiredUserId()]);

        Assert.Equal(0, (await SweepAsync(Start.AddHours(30))).AttendanceConfirmed);
        Assert.Equal(before, await CreditedAsync(id));
        await using var db = _host.NewDb();
        Assert.False(await db.AuditEntries.AnyAsync(a => a.Action == "attendance.auto-confirmed" && a.EntityId == id.ToString()));
    }

    private async Task<SweepResult> SweepAsync(DateTime now)
    {
        _host.Clock.SetUtcNow(now);
        await using var scope = _host.Services.CreateAsyncScope();
        return await ActivatorUtilities.CreateInstance<ActivitySweeps>(scope.ServiceProvider).RunAsync(now);
    }

    private async Task<Dictionary<int, int>> CreditedAsync(int activityId)
    {
        await using var db = _host.NewDb();
        return await db.Attendance.Where(a => a.ActivityId == activityId && a.CreditedAtUtc != null)
            .ToDictionaryAsync(a => a.UserId, a => a.CreditedMinutes!.Value);
    }

    /// <summary>
    /// Rule 14 of decision 0014: ten people check out while the organizer confirms. A confirmation that read "not
    /// checked out" and saved after a check-out overwrote it with the scheduled end, by hand. Now each credit is guarded
    /// by the check-out it was computed from, so every check-out a person was told about stays theirs.
    /// </summary>
    [Fact]
    public async Task CheckOutsRacingTheConfirmation_StayAsRecorded_AndEveryoneIsCreditedOnce()
    {
        var id = await ActivityAsync();
        var people = new List<ClaimsPrincipal>();
        for (var i = 0; i < 10; i++)
        {
            var person = (await _city.PersonAsync(_city.Grid1, $"居民{i}")).Principal;
            Assert.Equal(SignUpOutcome.Confirmed, (await _host.Scoped<SignUpService>().SignUpAsync(person, id)).Outcome);
            people.Add(person);
        }

        _host.Clock.SetUtcNow(Start.AddMinutes(-10));
        foreach (var person in people)
        {
            await CheckIns.ScanAsync(person, id, CheckInPurpose.CheckIn);
        }

        // Ended five minutes ago: people leave and scan out as the organizer confirms.
        var outAt = Start.AddHours(2).AddMinutes(5);
        _host.Clock.SetUtcNow(outAt);
        var checkOuts = people.Select(p => Task.Run(() => _host.Scoped<CheckInService>().ScanAsync(p, id, CheckInPurpose.CheckOut))).ToList();
        var confirmation = await _host.Scoped<AttendanceService>().ConfirmAsync(await Organizer(), id, []);
        var outcomes = await Task.WhenAll(checkOuts);

        await using var check = _host.NewDb();
        var records = await check.Attendance.Where(a => a.ActivityId == id).ToDictionaryAsync(a => a.UserId);
        Assert.All(people.Zip(outcomes), pair =>
        {
            var record = records[pair.First.RequiredUserId()];
            Assert.NotNull(record.CreditedAtUtc);
            if (pair.Second.Outcome == CheckInOutcome.CheckedOut)
            {
                Assert.Equal((outAt, CheckInMethod.Screen), (record.CheckedOutAtUtc!.Value, record.CheckOutMethod!.Value));
            }
        });
        Assert.Equal(people.Count, await check.HoursEntries.CountAsync(e => e.ActivityId == id));
        Assert.InRange(confirmation.Credited, 0, people.Count);
    }

    private static AttendanceHours HoursOf(LiveRoster roster, ClaimsPrincipal person) =>
        roster.Entries.Single(e => e.UserId == person.RequiredUserId()).Hours!;

    private Task<ClaimsPrincipal> Organizer() => _host.SignInAsAsync(_city.Organizer.Phone);

    private Task<int> ActivityAsync(bool walkIns = false) => _city.PublishedActivityAsync(Start, "考勤测试", capacity: 10, walkIns);

    private async Task<ClaimsPrincipal> SignedUpAsync(int activityId, string phone)
    {
        var person = await _host.SignInAsAsync(phone);
        await _host.Scoped<SignUpService>().SignUpAsync(person, activityId);
        return person;
    }
}
