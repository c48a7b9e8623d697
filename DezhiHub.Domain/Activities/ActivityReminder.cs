namespace DezhiHub.Domain.Activities;

public enum ReminderKind
{
    DayBefore = 24,
    HourBefore = 1,
}

/// <summary>
/// A reminder that was sent: one row per (activity, person, kind), so a sweep that runs twice or after a restart
/// sends each reminder exactly once.
/// </summary>
public sealed class ActivityReminder
{
    private ActivityReminder()
    {
    }

    public int Id { get; private set; }

    public int ActivityId { get; private set; }

    public int UserId { get; private set; }

    public ReminderKind Kind { get; private set; }

    public DateTime SentAtUtc { get; private set; }

    public static TimeSpan Lead(ReminderKind kind) => TimeSpan.FromHours((int)kind);

    public static ActivityReminder Sent(int activityId, int userId, ReminderKind kind, DateTime nowUtc) =>
        new() { ActivityId = activityId, UserId = userId, Kind = kind, SentAtUtc = nowUtc };
}
