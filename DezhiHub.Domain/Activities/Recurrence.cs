namespace DezhiHub.Domain.Activities;

public enum RecurrenceFrequency
{
    Weekly = 0,
    Monthly = 1,
}

/// <summary>
/// "Every week / every N months, until a date or N times". Expanded in the deployment's local time (so 09:00
/// stays 09:00), capped at <see cref="MaxOccurrences"/>.
/// </summary>
public sealed record RecurrenceRule(RecurrenceFrequency Frequency, int Interval = 1, DateOnly? Until = null, int? Count = null)
{
    public const int MaxOccurrences = 60;

    /// <summary>Local start times of every occurrence, the first included.</summary>
    public IReadOnlyList<DateTime> Expand(DateTime firstLocalStart)
    {
        if (Interval is < 1 or > 12)
        {
            throw new DomainException(ErrorCodes.Recurrence.IntervalInvalid);
        }

        if (Until is null == Count is null)
        {
            throw new DomainException(ErrorCodes.Recurrence.UntilOrCount);
        }

        if (Count is < 1 or > MaxOccurrences)
        {
            throw new DomainException(ErrorCodes.Recurrence.CountInvalid, MaxOccurrences);
        }

        if (Until is { } until && until < DateOnly.FromDateTime(firstLocalStart))
        {
            throw new DomainException(ErrorCodes.Recurrence.UntilBeforeStart);
        }

        // One more than allowed, to notice an end date that would make too many.
        var limit = Count ?? MaxOccurrences + 1;
        var starts = new List<DateTime>();
        for (var i = 0; starts.Count < limit && i < limit * 2; i++)
        {
            var start = Frequency == RecurrenceFrequency.Weekly
                ? firstLocalStart.AddDays(7 * Interval * i)
                : firstLocalStart.AddMonths(Interval * i);
            if (Frequency == RecurrenceFrequency.Monthly && start.Day != firstLocalStart.Day)
            {
                continue; // the 31st does not exist in every month: skip those months rather than drift
            }

            if (Until is { } last && DateOnly.FromDateTime(start) > last)
            {
                break;
            }

            starts.Add(start);
        }

        if (starts.Count > MaxOccurrences)
        {
            throw new DomainException(ErrorCodes.Recurrence.CountInvalid, MaxOccurrences);
        }

        return starts;
    }
}
