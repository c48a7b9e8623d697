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
    public static int CreditedMinutes(DateTime scheduledStartUtc, DateTime scheduledEndUtc, DateTime checkedInUtc, DateTime? checkedOutUtc, double minimumShare = DefaultMinimumShare)
    {
        if (scheduledEndUtc <= scheduledStartUtc)
        {
            throw new ArgumentException("The schedule must end after it starts.", nameof(scheduledEndUtc));
        }

        if (minimumShare is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(minimumShare), "A share is between 0 and 1.");
        }

        if (checkedOutUtc is not { } checkedOut || checkedOut <= checkedInUtc)
        {
            return 0;
        }

        var from = checkedInUtc > scheduledStartUtc ? checkedInUtc : scheduledStartUtc;
        var to = checkedOut < scheduledEndUtc ? checkedOut : scheduledEndUtc;
        if (to <= from)
        {
            return 0;
        }

        var overlap = to - from;
        var scheduled = scheduledEndUtc - scheduledStartUtc;
        return overlap.Ticks >= scheduled.Ticks * minimumShare ? (int)overlap.TotalMinutes : 0;
    }
}
