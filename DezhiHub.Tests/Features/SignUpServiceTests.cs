using DezhiHub.Domain.Activities;
using DezhiHub.Domain;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Activities;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Identity;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Tests.Features;

public sealed class SignUpServiceTests : IAsyncLifetime
{
    private FeatureHost _host = default!;
    private TestCity _city = default!;

    public async Task InitializeAsync()
    {
        _host = await FeatureHost.CreateAsync(demoData: false);
        _city = await TestCity.CreateAsync(_host);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private SignUpService Service => _host.Scoped<SignUpService>();

    [Fact]
    public async Task AFullActivity_OffersTheWaitlist_AndACancellationPromotesTheFirstInLine()
    {
        var id = await PublishedAsync(capacity: 1);
        var first = _city.Resident.Principal;
        var second = _city.Volunteer.Principal;
        var third = _city.Partner.Principal;

        Assert.Equal(SignUpOutcome.Confirmed, (await Service.SignUpAsync(first, id)).Outcome);
        Assert.Equal(SignUpOutcome.Waitlisted, (await Service.SignUpAsync(second, id)).Outcome);
        _host.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(SignUpOutcome.Waitlisted, (await Service.SignUpAsync(third, id)).Outcome);

        await Service.CancelAsync(first, id);

        var roster = await Service.RosterAsync(_city.Organizer.Principal, id);
        Assert.Equal([(_city.Volunteer.Name, RegistrationStatus.Confirmed, (int?)null), (_city.Partner.Name, RegistrationStatus.Waitlisted, 1)],
            roster.Select(r => (r.RealName, r.Status, r.WaitlistPosition)));
        await using var db = _host.NewDb();
        Assert.Equal(1, await db.Activities.Where(a => a.Id == id).Select(a => a.ConfirmedCount).SingleAsync());
        var promoted = await db.Notifications.SingleAsync(n => n.MessageKey == "Notify.WaitlistPromoted");
        Assert.Equal(_city.Volunteer.Id, promoted.UserId);
    }

    [Fact]
    public async Task FiftyParallelSignUps_ForTenSeats_ConfirmExactlyTen()
    {
        var id = await PublishedAsync(capacity: 10);
        var people = await AllPeopleAsync(50);
        var outcomes = await Task.WhenAll(people.Select(async p =>
        {
            try
            {
                return (object)(await _host.Scoped<SignUpService>().SignUpAsync(p, id)).Outcome;
            }
            catch (Exception ex)
            {
                return ex;
            }
        }));

        Assert.DoesNotContain(outcomes, o => o is Exception);
        Assert.Equal(10, outcomes.Count(o => o is SignUpOutcome.Confirmed));
        Assert.Equal(40, outcomes.Count(o => o is SignUpOutcome.Waitlisted));
        await using var check = _host.NewDb();
        Assert.Equal(10, await check.Activities.Where(a => a.Id == id).Select(a => a.ConfirmedCount).SingleAsync());
        Assert.Equal(10, await check.Registrations.CountAsync(r => r.ActivityId == id && r.Status == RegistrationStatus.Confirmed));
    }

    [Fact]
    public async Task FortyParallelSignUps_ForOneSeat_ShowEachPersonTheirTruePlace_AndACancellationMovesEveryoneUpOne()
    {
        var id = await PublishedAsync(capacity: 1);
        await using (var db = _host.NewDb())
        {
            await db.Registrations.ExecuteDeleteAsync();
        }

        // A clock that moves on every reading, as a real one does between a request's steps.
        _host.Clock.AutoAdvanceAmount = TimeSpan.FromMilliseconds(1);
        var people = await AllPeopleAsync(40);
        // Task.Run: SQLite's async calls complete synchronously, so without it the "parallel" sign-ups would run one by one.
        var shown = await Task.WhenAll(people.Select(p => Task.Run(async () =>
        {
            var result = await _host.Scoped<SignUpService>().SignUpAsync(p, id);
            // What the page shows right after the tap: the sign-up's answer, and the status line read afterwards.
            var detail = await _host.Scoped<ActivityService>().GetAsync(p, id);
            Assert.Equal(result.WaitlistPosition, detail!.MyWaitlistPosition);
            return (User: p.RequiredUserId(), result.Outcome, Shown: result.WaitlistPosition);
        })));

        Assert.Single(shown, s => s.Outcome == SignUpOutcome.Confirmed);
        var waiting = shown.Where(s => s.Outcome == SignUpOutcome.Waitlisted).ToList();
        Assert.Equal(Enumerable.Range(1, 39), waiting.Select(s => s.Shown ?? 0).Order());
        var organizer = _city.Organizer.Principal;
        var queue = (await Service.RosterAsync(organizer, id)).Where(r => r.Status == RegistrationStatus.Waitlisted)
            .ToDictionary(r => r.UserId, r => r.WaitlistPosition);
        Assert.All(waiting, s => Assert.Equal(s.Shown, queue[s.User]));

        var confirmed = people.Single(p => p.RequiredUserId() == shown.Single(s => s.Outcome == SignUpOutcome.Confirmed).User);
        await Service.CancelAsync(confirmed, id);

        var first = waiting.Single(s => s.Shown == 1);
        var after = (await Service.RosterAsync(organizer, id)).ToDictionary(r => r.UserId);
        Assert.Equal(RegistrationStatus.Confirmed, after[first.User].Status);
        Assert.Equal(38, after.Values.Count(r => r.Status == RegistrationStatus.Waitlisted));
        Assert.All(waiting.Where(s => s != first), s => Assert.Equal(s.Shown - 1, after[s.User].WaitlistPosition));
        foreach (var s in waiting.Where(s => s != first).Take(5))
        {
            var person = people.Single(p => p.RequiredUserId() == s.User);
            Assert.Equal(s.Shown - 1, (await _host.Scoped<ActivityService>().GetAsync(person, id))!.MyWaitlistPosition);
        }
    }

    [Fact]
    public async Task ADoubleTap_SignsUpOnce()
    {
        var id = await PublishedAsync(capacity: 5);
        var resident = _city.Partner.Principal;
        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            try
            {
                return (await _host.Scoped<SignUpService>().SignUpAsync(resident, id)).Outcome.ToString();
            }
            catch (DomainException ex)
            {
                return ex.Code;
            }
        }));

        Assert.Equal(["Confirmed", "SignUp.Already"], results.Order());
        await using var db = _host.NewDb();
        Assert.Equal(1, await db.Activities.Where(a => a.Id == id).Select(a => a.ConfirmedCount).SingleAsync());
    }

    [Fact]
    public async Task OverlappingSignUps_AreRefused_NamingTheOtherActivity()
    {
        var first = await PublishedAsync(capacity: 5, title: "上午的活动");
        var overlapping = await PublishedAsync(capacity: 5, title: "重叠的活动", startOffset: TimeSpan.FromMinutes(30));
        var later = await PublishedAsync(capacity: 5, title: "紧接着的活动", startOffset: TimeSpan.FromHours(1));
        var resident = _city.Partner.Principal;

        await Service.SignUpAsync(resident, first);
        var error = await Assert.ThrowsAsync<DomainException>(() => Service.SignUpAsync(resident, overlapping));
        Assert.Equal(("SignUp.Overlap", "上午的活动"), (error.Code, error.Args[0]));
        Assert.Equal(SignUpOutcome.Confirmed, (await Service.SignUpAsync(resident, later)).Outcome); // back to back is fine
    }

    [Fact]
    public async Task OnePerson_SigningUpForTenOverlappingActivitiesAtOnce_GetsOne()
    {
        var ids = new List<int>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add(await PublishedAsync(capacity: 5, title: $"同时段活动{i}", startOffset: TimeSpan.FromMinutes(5 * i)));
        }

        var resident = _city.Partner.Principal;
        var results = await Task.WhenAll(ids.Select(id => Task.Run(async () =>
        {
            try
            {
                return (await _host.Scoped<SignUpService>().SignUpAsync(resident, id)).Outcome.ToString();
            }
            catch (DomainException ex)
            {
                return ex.Code;
            }
        })));

        // The overlap was checked before the sign-up's transaction: parallel requests all passed it (decision 0014, rule 4).
        Assert.Equal(1, results.Count(r => r == "Confirmed"));
        Assert.All(results.Where(r => r != "Confirmed"), r => Assert.Equal("SignUp.Overlap", r));
        await using var db = _host.NewDb();
        Assert.Equal(1, await db.Registrations.CountAsync(r => ids.Contains(r.ActivityId) && r.Status != RegistrationStatus.Cancelled));
    }

    [Fact]
    public async Task Deadlines_CloseSignUpAndCancellation()
    {
        var id = await PublishedAsync(capacity: 5, signUpDeadline: TimeSpan.FromDays(1), cancelDeadline: TimeSpan.FromDays(2));
        var resident = _city.Partner.Principal;
        await Service.SignUpAsync(resident, id);

        _host.Clock.Advance(TimeSpan.FromDays(29) - TimeSpan.FromHours(12)); // past both deadlines, before the start
        Assert.Equal("SignUp.CancelClosed", (await Assert.ThrowsAsync<DomainException>(() => Service.CancelAsync(resident, id))).Code);
        var late = _city.Volunteer.Principal;
        Assert.Equal("SignUp.Closed", (await Assert.ThrowsAsync<DomainException>(() => Service.SignUpAsync(late, id))).Code);
    }

    [Fact]
    public async Task TheRoster_IsForTheHostsManagersOnly()
    {
        var id = await PublishedAsync(capacity: 5);
        await Assert.ThrowsAsync<AccessDeniedException>(async () => await Service.RosterAsync(_city.OtherOrganizer.Principal, id));
        await Assert.ThrowsAsync<AccessDeniedException>(async () => await Service.RosterAsync(_city.Resident.Principal, id));
        Assert.NotNull(await Service.RosterAsync(_city.Admin.Principal, id));
    }

    [Fact]
    public async Task MyActivities_ListsUpcomingFirst_WithTheWaitlistPosition()
    {
        var id = await PublishedAsync(capacity: 1);
        await Service.SignUpAsync(_city.Volunteer.Principal, id);
        var me = _city.Partner.Principal;
        await Service.SignUpAsync(me, id);

        var mine = await Service.MineAsync(me);

        var entry = Assert.Single(mine, m => m.Activity.Id == id);
        Assert.Equal((RegistrationStatus.Waitlisted, (int?)1), (entry.Status, entry.WaitlistPosition));

        // Someone behind: second in the queue, on a second activity where they are first.
        var later = _city.Resident.Principal;
        await Service.SignUpAsync(later, id);
        var other = await PublishedAsync(capacity: 1, title: "报名测试二", startOffset: TimeSpan.FromDays(9));
        await Service.SignUpAsync(me, other);
        await Service.SignUpAsync(later, other);
        var theirs = await Service.MineAsync(later);
        Assert.Equal(2, theirs.Single(m => m.Activity.Id == id).WaitlistPosition);
        Assert.Equal(1, theirs.Single(m => m.Activity.Id == other).WaitlistPosition);
        Assert.Null((await Service.MineAsync(me)).Single(m => m.Activity.Id == other).WaitlistPosition); // confirmed there
    }

    private async Task<int> PublishedAsync(int? capacity, string title = "报名测试", TimeSpan? startOffset = null, TimeSpan? signUpDeadline = null, TimeSpan? cancelDeadline = null)
    {
        var organizer = _city.Organizer.Principal;
        await using var db = _host.NewDb();
        var theme = await db.ActivityThemes.Select(t => t.Id).FirstAsync();
        var start = FeatureHost.Start.UtcDateTime.AddDays(29).AddHours(3) + (startOffset ?? TimeSpan.Zero);
        var service = _host.Scoped<ActivityService>();
        var id = (await service.CreateAsync(organizer, new ActivityDetails
        {
            Title = title,
            Entry = EightEntry.Communities,
            ThemeIds = [theme],
            OrgNodeId = _city.Community.Id,
            Place = "活动室",
            StartUtc = start,
            EndUtc = start.AddHours(1),
            Capacity = capacity,
            SignUpDeadlineUtc = signUpDeadline is { } s ? start - TimeSpan.FromDays(29) + s : null,
            CancellationDeadlineUtc = cancelDeadline is { } c ? start - TimeSpan.FromDays(29) + c : null,
        })).Single();
        await service.PublishAsync(organizer, id);
        return id;
    }

    /// <summary>
    /// Rule 3 of decision 0014: a person who cancelled taps "sign up" again ten times at once. Each request read the
    /// cancelled row and claimed a seat before the activity lock came first, so one sign-up could hold several seats.
    /// </summary>
    [Fact]
    public async Task TenParallelTaps_RenewingACancelledSignUp_TakeOneSeat()
    {
        var id = await PublishedAsync(capacity: 5);
        var resident = _city.Partner.Principal;
        await Service.SignUpAsync(resident, id);
        await Service.CancelAsync(resident, id);

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
        {
            try
            {
                return (object)(await _host.Scoped<SignUpService>().SignUpAsync(resident, id)).Outcome;
            }
            catch (DomainException ex)
            {
                return ex.Code;
            }
        })));

        Assert.Single(results, r => r is SignUpOutcome.Confirmed);
        Assert.All(results.Where(r => r is not SignUpOutcome), r => Assert.Equal("SignUp.Already", r));
        await using var check = _host.NewDb();
        Assert.Equal(1, await check.Activities.Where(a => a.Id == id).Select(a => a.ConfirmedCount).SingleAsync());
    }

    /// <summary>
    /// Rule 6: ten parallel cancellations of one sign-up (a double tap, two devices) free one seat, and the one person
    /// waiting is promoted once.
    /// </summary>
    [Fact]
    public async Task TenParallelCancellations_FreeOneSeat_AndPromoteOnce()
    {
        var id = await PublishedAsync(capacity: 1);
        var (first, second, third) = (_city.Partner.Principal, _city.Volunteer.Principal, _city.Resident.Principal);
        await Service.SignUpAsync(first, id);
        await Service.SignUpAsync(second, id);
        await Service.SignUpAsync(third, id);

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
        {
            try
            {
                await _host.Scoped<SignUpService>().CancelAsync(first, id);
                return "ok";
            }
            catch (DomainException ex)
            {
                return ex.Code;
            }
        })));

        Assert.Single(results, r => r == "ok");
        Assert.All(results.Where(r => r != "ok"), r => Assert.Equal("SignUp.NotSignedUp", r));
        var roster = await Service.RosterAsync(_city.Organizer.Principal, id);
        Assert.Equal([(second.RequiredUserId(), RegistrationStatus.Confirmed), (third.RequiredUserId(), RegistrationStatus.Waitlisted)],
            roster.Select(r => (r.UserId, r.Status)));
        await using var check = _host.NewDb();
        Assert.Equal(1, await check.Activities.Where(a => a.Id == id).Select(a => a.ConfirmedCount).SingleAsync());
        Assert.Equal(1, await check.Notifications.CountAsync(n => n.MessageKey == "Notify.WaitlistPromoted" && n.UserId == second.RequiredUserId()));
    }

    /// <summary>
    /// Rule 5: an organizer cancels while thirty people sign up. Whoever got in before the cancellation is told it was
    /// cancelled; nobody gets in after it.
    /// </summary>
    [Fact]
    public async Task SignUpsRacingTheActivitysCancellation_AreEitherToldOrRefused()
    {
        var id = await PublishedAsync(capacity: 50);
        var people = await AllPeopleAsync(30);
        var organizer = _city.Organizer.Principal;
        // The cancellation goes in once a third of the sign-ups have begun writing: some land before it, some after.
        var underway = _host.Commands.WhenStartedAsync(sql => sql == CommandProbe.BeginTransaction, 10);
        var signUps = people.Select(p => Task.Run(async () =>
        {
            try
            {
                await _host.Scoped<SignUpService>().SignUpAsync(p, id);
                return "ok";
            }
            catch (DomainException ex)
            {
                return ex.Code;
            }
        })).ToList();
        await underway;
        await _host.Scoped<ActivityService>().CancelAsync(organizer, id, "场地临时维修");
        var results = await Task.WhenAll(signUps);

        Assert.All(results.Where(r => r != "ok"), r => Assert.Equal("SignUp.Cancelled", r));
        await using var check = _host.NewDb();
        var registered = await check.Registrations.Where(r => r.ActivityId == id && r.Status != RegistrationStatus.Cancelled).Select(r => r.UserId).ToListAsync();
        var told = await check.Notifications.Where(n => n.MessageKey == "Notify.ActivityCancelledOn").Select(n => n.UserId).ToListAsync();
        Assert.Equal(results.Count(r => r == "ok"), registered.Count);
        Assert.All(registered, person => Assert.Contains(person, told));
    }

    /// <summary>
    /// Rule 7: the organizer lowers the capacity to 3 while twenty people sign up. The capacity was checked against the
    /// sign-ups read before the save, so an activity could end with more confirmed people than places.
    /// </summary>
    [Fact]
    public async Task LoweringTheCapacityWhilePeopleSignUp_NeverLeavesMoreConfirmedThanPlaces()
    {
        var id = await PublishedAsync(capacity: 30);
        await using (var db = _host.NewDb())
        {
            await db.Registrations.ExecuteDeleteAsync();
        }

        var people = await AllPeopleAsync(20);
        var organizer = _city.Organizer.Principal;
        ActivityDetails lowered;
        await using (var db = _host.NewDb())
        {
            var a = await db.Activities.Include(x => x.Themes).SingleAsync(x => x.Id == id);
            lowered = new ActivityDetails
            {
                Title = a.Title,
                Entry = a.Entry,
                ThemeIds = [.. a.Themes.Select(t => t.ThemeId)],
                OrgNodeId = a.OrgNodeId,
                Place = a.Place,
                StartUtc = a.StartUtc,
                EndUtc = a.EndUtc,
                Capacity = 3,
            };
        }

        var signUps = people.Select(p => Task.Run(async () =>
        {
            try
            {
                await _host.Scoped<SignUpService>().SignUpAsync(p, id);
            }
            catch (DomainException)
            {
            }
        })).ToList();
        string? refusal = null;
        try
        {
            await _host.Scoped<ActivityService>().UpdateAsync(organizer, id, lowered);
        }
        catch (DomainException ex)
        {
            refusal = ex.Code;
        }

        await Task.WhenAll(signUps);
        await using var check = _host.NewDb();
        var activity = await check.Activities.SingleAsync(a => a.Id == id);
        Assert.True(activity.ConfirmedCount <= (activity.Capacity ?? int.MaxValue), $"{activity.ConfirmedCount} confirmed for {activity.Capacity} places");
        Assert.True(refusal is null or "Activity.CapacityBelowSignUps", refusal);
    }

    private async Task<List<System.Security.Claims.ClaimsPrincipal>> AllPeopleAsync(int count)
    {
        var people = new List<System.Security.Claims.ClaimsPrincipal>();
        for (var i = 0; i < count; i++)
        {
            people.Add((await _city.PersonAsync(_city.Grid1, $"居民{i}")).Principal);
        }

        return people;
    }
}
