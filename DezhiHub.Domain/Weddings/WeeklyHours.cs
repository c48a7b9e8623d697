using System.Globalization;

namespace DezhiHub.Domain.Weddings;

/// <summary>
/// Opening hours per weekday (Monday first), each a span of local time or closed. Stored as seven comma-separated
/// entries, e.g. <c>"08:30-17:30,08:30-17:30,08:30-17:30,08:30-17:30,08:30-17:30,,"</c> (closed at the weekend).
/// Times fall on the half hour, the unit in which exclusive resources are claimed.
/// </summary>
public sealed record WeeklyHours
{
    private readonly (TimeOnly Open, TimeOnly Close)?[] _days;

    private WeeklyHours((TimeOnly Open, TimeOnly Close)?[] days) => _days = days;

    /// <summary>The hours of a day, Monday = 0 … Sunday = 6; null when closed.</summary>
    public (TimeOnly Open, TimeOnly Close)? this[int mondayBasedDay] => _days[mondayBasedDay];

    public (TimeOnly Open, TimeOnly Close)? On(DayOfWeek day) => _days[((int)day + 6) % 7];

    public static WeeklyHours Closed { get; } = new(new (TimeOnly, TimeOnly)?[7]);

    /// <summary>The same hours on the given weekdays, closed on the others.</summary>
    public static WeeklyHours Uniform(TimeOnly open, TimeOnly close, params DayOfWeek[] days)
    {
        var result = new (TimeOnly, TimeOnly)?[7];
        foreach (var day in days)
        {
            result[((int)day + 6) % 7] = (open, close);
        }

        return Create(result);
    }

    public static WeeklyHours Create(IReadOnlyList<(TimeOnly Open, TimeOnly Close)?> days)
    {
        if (days.Count != 7)
        {
            throw new DomainException(ErrorCodes.Wedding.HoursInvalid);
        }

        foreach (var day in days)
        {
            if (day is { } d && (d.Close <= d.Open || !OnHalfHour(d.Open) || !OnHalfHour(d.Close)))
            {
                throw new DomainException(ErrorCodes.Wedding.HoursInvalid);
            }
        }

        return new WeeklyHours([.. days]);
    }

    public static bool TryParse(string? text, out WeeklyHours hours)
    {
        hours = Closed;
        var parts = (text ?? "").Split(',');
        if (parts.Length != 7)
        {
            return false;
        }

        var days = new (TimeOnly, TimeOnly)?[7];
        for (var i = 0; i < 7; i++)
        {
            var part = parts[i].Trim();
            if (part.Length == 0)
            {
                continue;
            }

            var span = part.Split('-');
            if (span.Length != 2
                || !TimeOnly.TryParseExact(span[0].Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var open)
                || !TimeOnly.TryParseExact(span[1].Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var close))
            {
                return false;
            }

            days[i] = (open, close);
        }

        try
        {
            hours = Create(days);
            return true;
        }
        catch (DomainException)
        {
            return false;
        }
    }

    public static WeeklyHours Parse(string text) =>
        TryParse(text, out var hours) ? hours : throw new DomainException(ErrorCodes.Wedding.HoursInvalid);

    public override string ToString() =>
        string.Join(',', _days.Select(d => d is { } x ? $"{x.Open:HH\\:mm}-{x.Close:HH\\:mm}" : ""));

    public bool Equals(WeeklyHours? other) => other is not null && ToString() == other.ToString();

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);

    private static bool OnHalfHour(TimeOnly time) => time.Second == 0 && time.Millisecond == 0 && time.Minute % 30 == 0;
}
