using System.Globalization;
using DezhiHub.Domain.Volunteering;
using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web.Resources;
using Microsoft.Extensions.Localization;

namespace DezhiHub.Web.Features.Volunteering;

/// <summary>How the volunteer pages word ledger lines, hours and star levels, in the reader's language.</summary>
public static class VolunteerText
{
    /// <summary>Hours still needed, rounded up to a tenth so "还需 0 小时" never shows before the level is reached.</summary>
    public static string HoursNeeded(double hours) => (Math.Ceiling(hours * 10) / 10).ToString("0.#", CultureInfo.CurrentCulture);

    /// <summary>"+10" or "−5" (a real minus sign).</summary>
    public static string WithSign(long value) =>
        value > 0 ? "+" + value.ToString(CultureInfo.CurrentCulture) : "\u2212" + Math.Abs(value).ToString(CultureInfo.CurrentCulture);

    /// <summary>"+1.5" or "−0.5" hours.</summary>
    public static string HoursWithSign(long minutes) => (minutes > 0 ? "+" : "\u2212") + HoursText.Format(Math.Abs(minutes));

    /// <summary>Progress (0–100) from the current level's threshold to the next one; 100 at the top level.</summary>
    public static double StarProgress(long minutes)
    {
        var level = StarLevel.ForMinutes(minutes);
        if (level >= StarLevel.Max)
        {
            return 100;
        }

        var from = level == 0 ? 0 : StarLevel.ThresholdHours[level - 1] * 60.0;
        var to = StarLevel.ThresholdHours[level] * 60.0;
        return Math.Clamp((minutes - from) / (to - from) * 100, 0, 100);
    }

    public static string Kind(IStringLocalizer<Strings> strings, PointsKind kind) => strings[$"PointsKind.{kind}"];

    public static string Kind(IStringLocalizer<Strings> strings, HoursKind kind) => strings[$"HoursKind.{kind}"];

    public static string Status(IStringLocalizer<Strings> strings, AwardStatus status) => strings[$"AwardStatus.{status}"];

    /// <summary>Where a points entry came from: the activity, the award, the redemption, or the entry it takes back.</summary>
    public static string Source(IStringLocalizer<Strings> strings, PointsLine line) => line.Kind switch
    {
        PointsKind.Earned => line.ActivityTitle ?? strings["Points.SourceAttendance"],
        PointsKind.Awarded => strings["Points.SourceAward"],
        PointsKind.PledgeBonus => strings["Points.SourcePledge"],
        PointsKind.Redeemed => strings["Points.SourceRedemption", Number(line.SourceKey)],
        PointsKind.Refunded => strings["Points.SourceRefund", Number(line.SourceKey)],
        PointsKind.Reversed => line.ActivityTitle is { } title ? strings["Points.SourceReversalOf", title] : strings["Points.SourceReversal"],
        _ => line.SourceKey,
    };

    /// <summary>Where an hours entry came from.</summary>
    public static string Source(IStringLocalizer<Strings> strings, HoursLine line) =>
        line.ActivityTitle ?? strings[line.Kind == HoursKind.Correction ? "Hours.SourceCorrection" : "Points.SourceAttendance"];

    /// <summary>The reason and who acted, for the line under the source ("" when neither is known).</summary>
    public static string Note(IStringLocalizer<Strings> strings, string? reason, string? actorName) =>
        (reason, actorName) switch
        {
            ({ } r, { } a) => strings["Points.NoteReasonBy", r, a],
            ({ } r, null) => r,
            (null, { } a) => strings["Points.NoteBy", a],
            _ => "",
        };

    /// <summary>The id at the end of a source key: "redemption:9" → "9".</summary>

    /// <summary>The redemption number a source key names, as the voucher shows it.</summary>
    private static string Number(string sourceKey) =>
        LedgerSource.NumberOf(sourceKey)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? sourceKey;
}
