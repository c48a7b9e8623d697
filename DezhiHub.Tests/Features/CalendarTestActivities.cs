using DezhiHub.Domain.Activities;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Tests.Features;

/// <summary>
/// Activities and sign-ups written straight into a database (through the domain's own methods), for the calendar and
/// sweep tests: they need data, not the activity services. The host is <see cref="HostCommunity"/>.
/// </summary>
internal static class CalendarTestActivities
{
    public static async Task<int> AddAsync(
        AppDbContext db,
        DateTime nowUtc,
        DateTime startUtc,
        string title = "太行精神宣讲",
        TimeSpan? duration = null,
        bool publish = true,
        DateTime? signUpDeadlineUtc = null,
        string description = "老党员讲述太行山上的抗战故事。",
        string place = "红星社区党群服务中心",
        bool signUpRequired = true)
    {
        var (organizerId, host) = await HostCommunity.FindAsync(db);
        var themeId = await db.ActivityThemes.OrderBy(t => t.Id).Select(t => (int?)t.Id).FirstOrDefaultAsync()
            ?? await AddThemeAsync(db);
        var activity = Activity.Create(
            new ActivityDetails
            {
                Title = title,
                Description = description,
                Entry = EightEntry.Communities,
                ThemeIds = [themeId],
                OrgNodeId = host.Id,
                Place = place,
                StartUtc = startUtc,
                EndUtc = startUtc + (duration ?? TimeSpan.FromHours(2)),
                SignUpRequired = signUpRequired,
                SignUpDeadlineUtc = signUpDeadlineUtc,
            },
            host.Path,
            organizerId,
            nowUtc);
        if (publish)
        {
            activity.Publish(nowUtc);
        }

        db.Activities.Add(activity);
        await db.SaveChangesAsync();
        return activity.Id;
    }

    /// <summary>A sign-up in the given state (a cancelled one was confirmed first).</summary>
    public static async Task<int> SignUpAsync(AppDbContext db, int activityId, string phone, RegistrationStatus status, DateTime nowUtc)
    {
        var userId = await UserIdAsync(db, phone);
        var registration = Registration.Create(activityId, userId, status != RegistrationStatus.Waitlisted, nowUtc);
        if (status == RegistrationStatus.Cancelled)
        {
            registration.Cancel(nowUtc);
        }

        db.Registrations.Add(registration);
        await db.SaveChangesAsync();
        return userId;
    }

    public static async Task CancelAsync(AppDbContext db, int activityId, string reason, DateTime nowUtc)
    {
        var activity = await db.Activities.SingleAsync(a => a.Id == activityId);
        activity.Cancel(reason, nowUtc);
        await db.SaveChangesAsync();
    }

    public static Task<int> UserIdAsync(AppDbContext db, string phone) =>
        db.Users.Where(u => u.PhoneNumber == phone).Select(u => u.Id).SingleAsync();

    private static async Task<int> AddThemeAsync(AppDbContext db)
    {
        var theme = ActivityTheme.Create("太行精神");
        db.ActivityThemes.Add(theme);
        await db.SaveChangesAsync();
        return theme.Id;
    }
}
