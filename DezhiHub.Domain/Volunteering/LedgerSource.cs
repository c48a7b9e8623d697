using System.Globalization;

namespace DezhiHub.Domain.Volunteering;

/// <summary>
/// The <c>SourceKey</c> of a ledger entry: what it answers to, written as "kind:number" ("redemption:12"). The key is
/// unique per ledger, so a source credits or debits once however often it is retried or raced; this is the one place
/// the app's keys are made and read back. (The ledger takes any key: tests and the demo seeding post keys of their own.)
/// </summary>
public static class LedgerSource
{
    /// <summary>Hours and points for one credited attendance.</summary>
    public static string Attendance(long attendanceId) => Key("attendance", attendanceId);

    /// <summary>The points spent on one redemption in the points market.</summary>
    public static string Redemption(long redemptionId) => Key("redemption", redemptionId);

    /// <summary>The points given back when a redemption is cancelled or expires.</summary>
    public static string Refund(long redemptionId) => Key("refund", redemptionId);

    /// <summary>An organizer's award of points.</summary>
    public static string Award(long awardId) => Key("award", awardId);

    /// <summary>The reversal of one points entry.</summary>
    public static string Reversal(long pointsEntryId) => Key("reversal", pointsEntryId);

    /// <summary>The correction of one hours entry.</summary>
    public static string Correction(long hoursEntryId) => Key("correction", hoursEntryId);

    /// <summary>A couple's kept civilized-wedding pledge, once per person.</summary>
    public static string Pledge(long userId) => Key("pledge", userId);

    /// <summary>The number a key names ("redemption:12" → 12); null for a key that ends in no number.</summary>
    public static long? NumberOf(string sourceKey) =>
        long.TryParse(sourceKey.AsSpan(sourceKey.LastIndexOf(':') + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;

    private static string Key(string kind, long number) => kind + ":" + number.ToString(CultureInfo.InvariantCulture);
}
