namespace DezhiHub.Domain.Attendance;

/// <summary>
/// How much of a person's presence counts as volunteer service: the overlap of [check-in, check-out] with the
/// scheduled time, credited only when it covers at least a share of the schedule (60 % by default). Whole minutes,
/// so sums never drift.
/// </summary>
public static class ServiceHours
{
    public const double DefaultMinimumShare = 0.6;

    /// <summary>Credited minutes, or 0 when the presence does not reach the minimum share (or there is no check-out).</summary>
    public static int CreditedMinutes(DateTime scheduledStartUtc, DateTime scheduledEndUtc, DateTime checkedInUtc, DateTime? checkedOutUtc, double minimumShare = DefaultMinimumShare) =>
        Measure(scheduledStartUtc, scheduledEndUtc, checkedInUtc, checkedOutUtc, minimumShare).CreditedMinutes;

    /// <summary>The presence and the share of the schedule it covers, and whether that counts.</summary>
    public static Presence Measure(DateTime scheduledStartUtc, DateTime scheduledEndUtc, DateTime checkedInUtc, DateTime? checkedOutUtc, double minimumShare = DefaultMinimumShare)
    {
        if (scheduledEndUtc <= scheduledStartUtc)
        {
            throw new ArgumentException("The schedule must end after it starts.", nameof(scheduledEndUtc));
        }

        if (minimumShare is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(minimumShare), "A share is between 0 and 1.");
        }

        var scheduled = scheduledEndUtc - scheduledStartUtc;
        var from = checkedInUtc > scheduledStartUtc ? checkedInUtc : scheduledStartUtc;
        var to = checkedOutUtc is { } checkedOut && checkedOut < scheduledEndUtc ? checkedOut : scheduledEndUtc;
        var overlap = checkedOutUtc is null || to <= from ? TimeSpan.Zero : to - from;

        // Decimal, so a share such as 0.07 is exactly 7 % and the rule agrees with the whole percent shown.
        var counts = overlap > TimeSpan.Zero && overlap.Ticks >= scheduled.Ticks * (decimal)minimumShare;
        return new Presence(overlap, scheduled, counts);
    }

    /// <summary>
    /// The one rounding rule for showing service time: hours to one decimal, half up, from whole minutes (3 → 0.1,
    /// 9 → 0.2, 90 → 1.5). Decimal, so 9 minutes is exactly 0.15 and rounds up rather than down as a double would.
    /// </summary>
    public static decimal RoundedHours(long minutes) => Math.Round(minutes / 60m, 1, MidpointRounding.AwayFromZero);
}

/// <summary>A person's presence within the schedule of an activity.</summary>
/// <param name="Overlap">The time present within the schedule; zero without a check-out.</param>
/// <param name="Scheduled">The scheduled duration.</param>
/// <param name="Counts">Whether the overlap reaches the minimum share, so that it is credited.</param>
public readonly record struct Presence(TimeSpan Overlap, TimeSpan Scheduled, bool Counts)
{
    public int Minutes => (int)Overlap.TotalMinutes;

    public int ScheduledMinutes => (int)Scheduled.TotalMinutes;

    /// <summary>Whole percent, rounded down: 59.9 % reads "59 %" and never seems to reach a 60 % rule it missed.</summary>
    public int SharePercent => (int)(Overlap.Ticks * 100 / Scheduled.Ticks);

    public int CreditedMinutes => Counts ? Minutes : 0;
}
