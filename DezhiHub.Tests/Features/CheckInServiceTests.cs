using DezhiHub.Domain.Activities;
using DezhiHub.Domain.Attendance;
using DezhiHub.Domain;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Activities;
using DezhiHub.Web.Features.CheckIn;
using DezhiHub.Web.Platform.Access;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Tests.Features;

public sealed class CheckInServiceTests : IAsyncLifetime
{
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
    public async Task ASecondScan_AnswersWithTheFirstCheckInTime()
    {
        var (id, start) = await ActivityAsync();
        var person = await SignedUpAsync(id, _city.Partner.Phone);
        _host.Clock.SetUtcNow(start.AddMinutes(-5));
        var first = await Service.ScanAsync(person, id, CheckInPurpose.CheckIn);
        _host.Clock.Advance(TimeSpan.FromMinutes(3));
        var again = await Service.ScanAsync(person, id, CheckInPurpose.CheckIn);

        Assert.Equal((CheckInOutcome.CheckedIn, start.AddMinutes(-5)), (first.Outcome, first.AtUtc));
        Assert.Equal((CheckInOutcome.AlreadyCheckedIn, start.AddMinutes(-5)), (again.Outcome, again.AtUtc));
    }

    [Fact]
    public async Task TwoHundredParallelScans_OfOnePerson_MakeOneRecord()
    {
        var (id, start) = await ActivityAsync();
        var person = await SignedUpAsync(id, _city.Partner.Phone);
        _host.Clock.SetUtcNow(start);

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => _host.Scoped<CheckInService>().ScanAsync(person, id, CheckInPurpose.CheckIn)));

        Assert.Single(results, r => r.Outcome == CheckInOutcome.CheckedIn);
        Assert.All(results, r => Assert.Equal(start, r.AtUtc));
        await using var db = _host.NewDb();
        Assert.Equal(1, await db.Attendance.CountAsync(a => a.ActivityId == id));
    }

    [Fact]
    public async Task TheWindow_OpensHalfAnHourBefore_AndClosesAtTheEnd()
    {
        var (id, start) = await ActivityAsync();
        var person = await SignedUpAsync(id, _city.Partner.Phone);

        _host.Clock.SetUtcNow(start.AddMinutes(-31));
        var early = await Assert.ThrowsAsync<DomainException>(() => Service.ScanAsync(person, id, CheckInPurpose.CheckIn));
        Assert.Equal("CheckIn.NotStarted", early.Code);
        Assert.Equal("08:30", early.Args[0]); // half an hour before 09:00 in Shanghai

        _host.Clock.SetUtcNow(start.AddHours(2).AddSeconds(1));
        Assert.Equal("CheckIn.Over", (await Assert.ThrowsAsync<DomainException>(() => Service.ScanAsync(person, id, CheckInPurpose.CheckIn))).Code);
        await using var db = _host.NewDb();
        Assert.False(await db.Attendance.AnyAsync(a => a.ActivityId == id));
    }

    [Fact]
    public async Task TheWindow_IsSetPerActivity()
    {
        var start = new DateTime(2026, 12, 30, 1, 0, 0, DateTimeKind.Utc); // 09:00 in Shanghai
        var id = await _city.PublishedActivityAsync(start, "提前一小时签到", walkIns: true, checkInOpensMinutesBefore: 60);
        var person = _city.Partner.Principal;

        _host.Clock.SetUtcNow(start.AddMinutes(-61));
        var early = await Assert.ThrowsAsync<DomainException>(() => Service.ScanAsync(person, id, CheckInPurpose.CheckIn));
        Assert.Equal(("CheckIn.NotStarted", "08:00"), (early.Code, early.Args[0]));
        _host.Clock.SetUtcNow(start.AddMinutes(-59));
        Assert.Equal(CheckInOutcome.CheckedIn, (await Service.ScanAsync(person, id, CheckInPurpose.CheckIn)).Outcome);
    }

    [Fact]
    public async Task ParallelWalkIns_TakeOnlyThePlacesLeft_AndASignUpAfterwardsFindsItFull()
    {
        var (id, start) = await ActivityAsync(walkIns: true, capacity: 5);
        await SignedUpAsync(id, _city.Partner.Phone);
        await SignedUpAsync(id, _city.Volunteer.Phone);
        var people = new List<System.Security.Claims.ClaimsPrincipal>();
        for (var i = 0; i < 30; i++)
        {
            people.Add((await _city.PersonAsync(_city.Grid1, $"居民{i}")).Principal);
        }

        _host.Clock.SetUtcNow(start.AddMinutes(-20)); // the door is open, sign-up too

        var outcomes = await Task.WhenAll(people.Select(async p =>
        {
            try
            {
                return (await _host.Scoped<CheckInService>().ScanAsync(p, id, CheckInPurpose.CheckIn)).Outcome.ToString();
            }
            catch (DomainException ex)
            {
                return ex.Code;
            }
        }));

        Assert.Equal(3, outcomes.Count(o => o == nameof(CheckInOutcome.CheckedIn)));
        Assert.Equal(27, outcomes.Count(o => o == "CheckIn.Full"));
        await using (var db = _host.NewDb())
        {
            Assert.Equal(3, await db.Attendance.CountAsync(a => a.ActivityId == id));
            Assert.Equal(3, await db.Activities.Where(a => a.Id == id).Select(a => a.WalkInCount).SingleAsync());
        }

        var late = _city.OtherOrganizer.Principal;
        Assert.Equal(SignUpOutcome.Waitlisted, (await _host.Scoped<SignUpService>().SignUpAsync(late, id)).Outcome);
    }

    [Fact]
    public async Task WithoutASignUp_OnlyWalkInActivitiesLetYouIn_WhilePlacesLast()
    {
        var (closed, start) = await ActivityAsync();
        var (open, _) = await ActivityAsync(walkIns: true, capacity: 1);
        var stranger = _city.Partner.Principal;
        var another = _city.Volunteer.Principal;
        _host.Clock.SetUtcNow(start);

        Assert.Equal("CheckIn.NotSignedUp", (await Assert.ThrowsAsync<DomainException>(() => Service.ScanAsync(stranger, closed, CheckInPurpose.CheckIn))).Code);
        Assert.Equal(CheckInOutcome.CheckedIn, (await Service.ScanAsync(stranger, open, CheckInPurpose.CheckIn)).Outcome);
        Assert.Equal("CheckIn.Full", (await Assert.ThrowsAsync<DomainException>(() => Service.ScanAsync(another, open, CheckInPurpose.CheckIn))).Code);
    }

    [Fact]
    public async Task CancelledActivities_AndCheckOutsWithoutCheckIn_AreRefused()
    {
        var (id, start) = await ActivityAsync();
        var person = await SignedUpAsync(id, _city.Partner.Phone);
        _host.Clock.SetUtcNow(start);
        Assert.Equal("CheckIn.NotCheckedIn", (await Assert.ThrowsAsync<DomainException>(() => Service.ScanAsync(person, id, CheckInPurpose.CheckOut))).Code);

        await _host.Scoped<ActivityService>().CancelAsync(_city.Organizer.Principal, id, "停电");
        Assert.Equal("CheckIn.Cancelled", (await Assert.ThrowsAsync<DomainException>(() => Service.ScanAsync(person, id, CheckInPurpose.CheckIn))).Code);
    }

    [Fact]
    public async Task CheckOut_IsRecordedOnce_AndCreditsTheOverlap()
    {
        var (id, start) = await ActivityAsync();
        var person = await SignedUpAsync(id, _city.Partner.Phone);
        _host.Clock.SetUtcNow(start.AddMinutes(-10));
        await Service.ScanAsync(person, id, CheckInPurpose.CheckIn);
        _host.Clock.SetUtcNow(start.AddMinutes(100));
        var outcome = await Service.ScanAsync(person, id, CheckInPurpose.CheckOut);
        _host.Clock.Advance(TimeSpan.FromMinutes(5));
        var again = await Service.ScanAsync(person, id, CheckInPurpose.CheckOut);

        Assert.Equal((CheckInOutcome.CheckedOut, start.AddMinutes(100)), (outcome.Outcome, outcome.AtUtc));
        Assert.Equal((CheckInOutcome.AlreadyCheckedOut, start.AddMinutes(100)), (again.Outcome, again.AtUtc));
        await using var db = _host.NewDb();
        var record = await db.Attendance.SingleAsync(a => a.ActivityId == id);
        Assert.True(record.Credit(start, start.AddHours(2), ServiceHours.DefaultMinimumShare, start.AddHours(3)));
        Assert.Equal(100, record.CreditedMinutes);
        Assert.False(record.Credit(start, start.AddHours(2), ServiceHours.DefaultMinimumShare, start.AddHours(4))); // once only
    }

    [Fact]
    public async Task AnOrganizer_ChecksSomeoneInByHand_WithAReason_Audited_OnlyInTheirOwnArea()
    {
        var (id, start) = await ActivityAsync();
        var elderly = _city.Resident.Id;
        await _host.Scoped<SignUpService>().SignUpAsync(_city.Resident.Principal, id);
        _host.Clock.SetUtcNow(start);
        var organizer = _city.Organizer.Principal;

        Assert.Equal("CheckIn.ReasonRequired", (await Assert.ThrowsAsync<DomainException>(() => Service.RecordForAsync(organizer, id, elderly, CheckInPurpose.CheckIn, CheckInMethod.Manual, " "))).Code);
        await Assert.ThrowsAsync<AccessDeniedException>(async () => await Service.RecordForAsync(_city.OtherOrganizer.Principal, id, elderly, CheckInPurpose.CheckIn, CheckInMethod.Manual, "没带手机"));
        var result = await Service.RecordForAsync(organizer, id, elderly, CheckInPurpose.CheckIn, CheckInMethod.Manual, "老人没有智能手机");

        Assert.Equal(CheckInOutcome.CheckedIn, result.Outcome);
        await using var db = _host.NewDb();
        var record = await db.Attendance.SingleAsync(a => a.ActivityId == id);
        Assert.Equal((CheckInMethod.Manual, "老人没有智能手机"), (record.CheckInMethod, record.ManualReason));
        var entry = await db.AuditEntries.SingleAsync(a => a.Action == "attendance.manual-check-in" && a.EntityId == $"{id}/{elderly}");
        Assert.Equal(_city.Organizer.Name, entry.ActorName);
        Assert.Contains("老人没有智能手机", entry.After);
    }

    private async Task<(int Id, DateTime Start)> ActivityAsync(bool walkIns = false, int? capacity = 10)
    {
        var start = new DateTime(2026, 12, 31, 1, 0, 0, DateTimeKind.Utc); // 09:00 in Shanghai
        return (await _city.PublishedActivityAsync(start, "签到测试", capacity, walkIns), start);
    }

    private async Task<System.Security.Claims.ClaimsPrincipal> SignedUpAsync(int activityId, string phone)
    {
        var person = await _host.SignInAsAsync(phone);
        await _host.Scoped<SignUpService>().SignUpAsync(person, activityId);
        return person;
    }
}
