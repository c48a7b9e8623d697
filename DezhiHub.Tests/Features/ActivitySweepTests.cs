using DezhiHub.Domain.Activities;
using DezhiHub.Tests.Components;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Activities;
using DezhiHub.Web.Features.Notifications;
using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web.Resources;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using static DezhiHub.Tests.Features.CalendarTestActivities;

namespace DezhiHub.Tests.Features;

/// <summary>
/// <see cref="ActivitySweeps"/> on real SQLite with a fake clock: reminders, sign-up closing and completion happen
/// once, when due, also after a restart gap and when two sweeps run at once, on the test city.
/// </summary>
public sealed class ActivitySweepTests : IAsyncLifetime
{
    private FeatureHost _host = default!;
    private TestCity _city = default!;

    private DateTime Now => _host.Clock.GetUtcNow().UtcDateTime;

    public async Task InitializeAsync()
    {
        _host = await FeatureHost.CreateAsync(demoData: false);
        _city = await TestCity.CreateAsync(_host);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task DayBeforeReminder_IsSentOnceToEachConfirmedPerson_WhenTheStartIsWithin24Hours()
    {
        var activityId = await AddActivityAsync(Now.AddHours(30));
        var resident = await SignUpAsync(activityId, TestCity.ResidentPhone);
        var volunteer = await SignUpAsync(activityId, TestCity.VolunteerPhone);

        await SweepAsync();
        Assert.Empty(await RemindersAsync(activityId));

        _host.Clock.Advance(TimeSpan.FromHours(7)); // starts in 23 h
        await SweepAsync();

        var reminders = await RemindersAsync(activityId);
        Assert.Equal(new[] { (resident, ReminderKind.DayBefore), (volunteer, ReminderKind.DayBefore) }.Order(), reminders.Order());
        var notification = Assert.Single(await NotificationsAsync(activityId, resident));
        Assert.Equal("Notify.ActivityReminder24", notification.MessageKey);
        // Start 2026-11-28 07:00 UTC, stored as a time and shown in the deployment zone (Asia/Shanghai) when read.
        Assert.Equal(["太行精神宣讲", "@t:2026-11-28T07:00Z", "红星社区党群服务中心"], notification.Args);

        var again = await SweepAsync();
        Assert.Equal(0, again.RemindersSent);
        Assert.Single(await NotificationsAsync(activityId, resident));
    }

    [Fact]
    public async Task HourBeforeReminder_FollowsTheDayBeforeOne_AndNeitherRepeats()
    {
        var activityId = await AddActivityAsync(Now.AddHours(20));
        var resident = await SignUpAsync(activityId, TestCity.ResidentPhone);
        await SweepAsync();

        _host.Clock.Advance(TimeSpan.FromHours(19) + TimeSpan.FromMinutes(5)); // 55 min before the start
        await SweepAsync();
        await SweepAsync();

        Assert.Equal(
            ["Notify.ActivityReminder24", "Notify.ActivityReminder1"],
            (await NotificationsAsync(activityId, resident)).Select(n => n.MessageKey));
        Assert.Equal([(resident, ReminderKind.HourBefore), (resident, ReminderKind.DayBefore)], (await RemindersAsync(activityId)).Order());
    }

    [Fact]
    public async Task ASweepAfterALongGap_SendsWhatIsStillDue_ButNothingForActivitiesThatStarted()
    {
        var started = await AddActivityAsync(Now.AddHours(3));
        var withinTheHour = await AddActivityAsync(Now.AddHours(5));
        var later = await AddActivityAsync(Now.AddHours(10));
        foreach (var id in new[] { started, withinTheHour, later })
        {
            await SignUpAsync(id, TestCity.ResidentPhone);
        }

        _host.Clock.Advance(TimeSpan.FromHours(4)); // the app was down: no sweep ran for four hours
        await SweepAsync();

        Assert.Empty(await RemindersAsync(started));
        // Inside the last hour only the hour reminder is due; the day-before one would say the same at the same moment.
        Assert.Equal([ReminderKind.HourBefore], (await RemindersAsync(withinTheHour)).Select(r => r.Kind));
        // Its day-before moment passed during the gap, but the activity has not started: still sent.
        Assert.Equal([ReminderKind.DayBefore], (await RemindersAsync(later)).Select(r => r.Kind));
    }

    [Fact]
    public async Task WaitlistedAndCancelledSignUps_AndCancelledActivities_GetNoReminder()
    {
        var activityId = await AddActivityAsync(Now.AddHours(5));
        var confirmed = await SignUpAsync(activityId, TestCity.ResidentPhone);
        await SignUpAsync(activityId, TestCity.VolunteerPhone, RegistrationStatus.Waitlisted);
        await SignUpAsync(activityId, TestCity.PartnerPhone, RegistrationStatus.Cancelled);
        var cancelledActivity = await AddActivityAsync(Now.AddHours(5));
        await SignUpAsync(cancelledActivity, TestCity.ResidentPhone);
        await using (var db = _host.NewDb())
        {
            await CancelAsync(db, cancelledActivity, "暴雨", Now);
        }

        await SweepAsync();

        Assert.Equal([(confirmed, ReminderKind.DayBefore)], await RemindersAsync(activityId));
        Assert.Empty(await RemindersAsync(cancelledActivity));
    }

    [Fact]
    public async Task SignUpClosing_NotifiesTheOrganizerOnce_WithTheConfirmedCount()
    {
        var activityId = await AddActivityAsync(Now.AddHours(48), signUpDeadlineUtc: Now.AddHours(24));
        await SignUpAsync(activityId, TestCity.ResidentPhone);
        await SignUpAsync(activityId, TestCity.VolunteerPhone);
        await SignUpAsync(activityId, TestCity.PartnerPhone, RegistrationStatus.Waitlisted);
        await SweepAsync();
        Assert.Null(await SignUpClosedAtAsync(activityId));

        _host.Clock.Advance(TimeSpan.FromHours(24));
        await SweepAsync();
        await SweepAsync();

        Assert.Equal(Now, await SignUpClosedAtAsync(activityId));
        var organizer = await UserAsync(TestCity.OrganizerPhone);
        var closed = Assert.Single(await NotificationsAsync(activityId, organizer));
        Assert.Equal("Notify.SignUpClosed", closed.MessageKey);
        Assert.Equal(["太行精神宣讲", "2"], closed.Args);
    }

    [Fact]
    public async Task Completion_HappensAfterTheEndOnly()
    {
        var activityId = await AddActivityAsync(Now.AddHours(1), duration: TimeSpan.FromHours(2));

        _host.Clock.Advance(TimeSpan.FromHours(2)); // under way
        await SweepAsync();
        Assert.Equal(ActivityStatus.Published, (await ActivityAsync(activityId)).Status);

        _host.Clock.Advance(TimeSpan.FromHours(1)); // the end
        await SweepAsync();
        var activity = await ActivityAsync(activityId);
        Assert.Equal(ActivityStatus.Completed, activity.Status);
        Assert.Equal(Now, activity.CompletedAtUtc);
    }

    [Fact]
    public async Task AnEndedActivity_IsCompleted_NotToldThatSignUpClosed_AfterALongGap()
    {
        var activityId = await AddActivityAsync(Now.AddHours(2), signUpDeadlineUtc: Now.AddHours(1));
        await SignUpAsync(activityId, TestCity.ResidentPhone);

        _host.Clock.Advance(TimeSpan.FromDays(2));
        await SweepAsync();

        Assert.Equal(ActivityStatus.Completed, (await ActivityAsync(activityId)).Status);
        Assert.Empty(await NotificationsAsync(activityId, await UserAsync(TestCity.OrganizerPhone)));
        Assert.Empty(await RemindersAsync(activityId));
    }

    [Fact]
    public async Task SweepsRunningAtTheSameTime_SendEachReminderAndClosingNoticeExactlyOnce()
    {
        var activityId = await AddActivityAsync(Now.AddHours(20), signUpDeadlineUtc: Now.AddHours(10));
        var people = await ResidentIdsAsync(40);
        await SignUpManyAsync(activityId, people);
        _host.Clock.Advance(TimeSpan.FromHours(10));

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(SweepAsync)));

        Assert.Equal(40, (await RemindersAsync(activityId)).Count);
        await using var db = _host.NewDb();
        var link = $"/activities/{activityId}";
        var reminders = await db.Notifications.Where(n => n.Link == link && n.MessageKey == "Notify.ActivityReminder24").Select(n => n.UserId).ToListAsync();
        Assert.Equal(people.Order(), reminders.Order());
        Assert.Equal(1, await db.Notifications.CountAsync(n => n.Link == link && n.MessageKey == "Notify.SignUpClosed"));
        Assert.Equal(40, results.Sum(r => r.RemindersSent)); // none twice
        // Another sweep having sent a reminder first is expected, not a database error for the operator's log.
        Assert.DoesNotContain(_host.Logs.Since(0), e => e.Level >= LogLevel.Error || e.Exception is not null);
    }

    [Fact]
    public async Task ABacklogLargerThanOneBatch_IsSentInOneRun()
    {
        var people = await ResidentIdsAsync(45);
        var activities = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            var id = await AddActivityAsync(Now.AddHours(30 + i), title: $"党史学习 {i}");
            await SignUpManyAsync(id, people);
            activities.Add(id);
        }

        Assert.True(activities.Count * people.Count > ActivitySweeps.BatchSize);
        _host.Clock.Advance(TimeSpan.FromHours(10));
        await SweepAsync();

        foreach (var id in activities)
        {
            Assert.Equal(people.Count, (await RemindersAsync(id)).Count);
        }
    }

    [Theory]
    [InlineData("zh-CN", "提醒：您报名的活动\"太行精神宣讲\"将于 2026年11月28日 15:00 开始，地点：红星社区党群服务中心。")]
    [InlineData("en-US", "Reminder: \"太行精神宣讲\", which you signed up for, starts at Nov 28, 2026, 15:00. Place: 红星社区党群服务中心.")]
    public async Task ReminderText_ReadsInTheReadersLanguage_WithTheLocalStartTime(string culture, string expected)
    {
        var activityId = await AddActivityAsync(Now.AddHours(30));
        var resident = await SignUpAsync(activityId, TestCity.ResidentPhone);
        _host.Clock.Advance(TimeSpan.FromHours(7));
        await SweepAsync();
        var notification = Assert.Single(await NotificationsAsync(activityId, resident));

        using var scope = CultureScope.Use(culture);
        Assert.Equal(expected, NotificationText.Render(_host.Get<IStringLocalizer<Strings>>(), _host.Get<DisplayTime>(), notification.MessageKey, notification.Args));
    }

    private async Task<SweepResult> SweepAsync()
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await ActivatorUtilities.CreateInstance<ActivitySweeps>(scope.ServiceProvider).RunAsync(Now);
    }

    private async Task<int> AddActivityAsync(DateTime startUtc, TimeSpan? duration = null, DateTime? signUpDeadlineUtc = null, string title = "太行精神宣讲")
    {
        await using var db = _host.NewDb();
        return await CalendarTestActivities.AddAsync(db, Now, startUtc, title, duration, signUpDeadlineUtc: signUpDeadlineUtc);
    }

    private async Task<int> SignUpAsync(int activityId, string phone, RegistrationStatus status = RegistrationStatus.Confirmed)
    {
        await using var db = _host.NewDb();
        return await CalendarTestActivities.SignUpAsync(db, activityId, phone, status, Now);
    }

    private async Task SignUpManyAsync(int activityId, IEnumerable<int> userIds)
    {
        await using var db = _host.NewDb();
        db.Registrations.AddRange(userIds.Select(u => Registration.Create(activityId, u, confirmed: true, Now)));
        await db.SaveChangesAsync();
    }

    private async Task<List<int>> ResidentIdsAsync(int count)
    {
        var ids = new List<int>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await _city.PersonAsync(_city.Grid1, $"居民{i}")).Id);
        }

        return ids;
    }

    private async Task<int> UserAsync(string phone)
    {
        await using var db = _host.NewDb();
        return await UserIdAsync(db, phone);
    }

    private async Task<List<(int UserId, ReminderKind Kind)>> RemindersAsync(int activityId)
    {
        await using var db = _host.NewDb();
        var rows = await db.ActivityReminders.Where(r => r.ActivityId == activityId).OrderBy(r => r.UserId).ThenBy(r => r.Kind)
            .Select(r => new { r.UserId, r.Kind }).ToListAsync();
        return rows.Select(r => (r.UserId, r.Kind)).ToList();
    }

    private async Task<List<DezhiHub.Domain.Notifications.Notification>> NotificationsAsync(int activityId, int userId)
    {
        await using var db = _host.NewDb();
        var link = $"/activities/{activityId}";
        return await db.Notifications.AsNoTracking().Where(n => n.UserId == userId && n.Link == link).OrderBy(n => n.Id).ToListAsync();
    }

    private async Task<Activity> ActivityAsync(int activityId)
    {
        await using var db = _host.NewDb();
        return await db.Activities.AsNoTracking().SingleAsync(a => a.Id == activityId);
    }

    private async Task<DateTime?> SignUpClosedAtAsync(int activityId) => (await ActivityAsync(activityId)).SignUpClosedAtUtc;
}
