namespace DezhiHub.Domain.Volunteering;

/// <summary>
/// Star levels of the national registered-volunteer scheme (星级志愿者): 1★ at 100 h, 2★ 300 h, 3★ 600 h, 4★ 1000 h,
/// 5★ 1500 h of recorded service.
/// </summary>
public static class StarLevel
{
    /// <summary>Hours needed for 1★ … 5★.</summary>
    public static readonly IReadOnlyList<int> ThresholdHours = [100, 300, 600, 1000, 1500];

    public const int Max = 5;

    /// <summary>The level (0–5) that a total of recorded minutes has reached.</summary>
    public static int ForMinutes(long minutes)
    {
        var level = 0;
        foreach (var hours in ThresholdHours)
        {
            if (minutes < hours * 60L)
            {
                break;
            }

            level++;
        }

        return level;
    }

    /// <summary>Hours still needed for the next level; null at 5★.</summary>
    public static double? HoursToNext(long minutes)
    {
        var level = ForMinutes(minutes);
        return level >= Max ? null : Math.Max(0, ThresholdHours[level] - (minutes / 60.0));
    }
}
