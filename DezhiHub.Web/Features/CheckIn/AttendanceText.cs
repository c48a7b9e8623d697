using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web.Resources;
using Microsoft.Extensions.Localization;

namespace DezhiHub.Web.Features.CheckIn;

/// <summary>How the attendance page words a person's share and its outcome, and the totals of a confirmation.</summary>
public static class AttendanceText
{
    /// <summary>"71/120 分钟 · 59%"; "—" when there is no presence to measure (confirmed without a check-out).</summary>
    public static string Presence(IStringLocalizer<Strings> strings, AttendanceHours hours, int scheduledMinutes) =>
        hours.Outcome == HoursOutcome.NoCheckOut ? "—" : strings["Attendance.PresenceValue", hours.PresenceMinutes, scheduledMinutes, hours.SharePercent];

    /// <summary>
    /// Before the confirmation "将计入 1.2 小时" or "不足 60%，不计时长" (or the organizer's rejection); after it
    /// "已计入 1.2 小时", "未计入：在场 59%（需 60%）" or "未计入：未签退".
    /// </summary>
    public static string Outcome(IStringLocalizer<Strings> strings, AttendanceHours hours, bool rejected, int minimumPercent) =>
        (hours.Credited, hours.Outcome) switch
        {
            (true, HoursOutcome.Counts) => strings["Attendance.Counted", HoursText.Format(hours.Minutes)],
            (true, HoursOutcome.NoCheckOut) => strings["Attendance.NotCountedNoCheckOut"],
            (true, _) => strings["Attendance.NotCountedShare", hours.SharePercent, minimumPercent],
            (false, _) when hours.UntilEnd && rejected => strings["Attendance.WillBeRejected"],
            (false, HoursOutcome.Counts) => strings["Attendance.WillCount", HoursText.Format(hours.Minutes)],
            _ => strings["Attendance.WillNotCount", minimumPercent],
        };

    /// <summary>Whether the row's outcome earns hours, for its colour.</summary>
    public static bool Earns(AttendanceHours hours, bool rejected) =>
        hours.Outcome == HoursOutcome.Counts && !(hours.UntilEnd && rejected);

    /// <summary>
    /// "考勤已确认：8 人计入共 12.5 小时，2 人不足 60% 未计入。" once confirmed, or "确认后：…" for what confirming would
    /// do; the people not counted are named by reason, never hidden behind "时长已记录".
    /// </summary>
    public static string Summary(IStringLocalizer<Strings> strings, AttendanceTally tally, int minimumPercent, bool confirmed)
    {
        List<string> parts = [strings["Attendance.TallyCounted", tally.Counted, HoursText.Format(tally.Minutes)]];
        if (tally.TooShort > 0)
        {
            parts.Add(strings["Attendance.TallyTooShort", tally.TooShort, minimumPercent]);
        }

        if (tally.NoCheckOut > 0)
        {
            parts.Add(strings["Attendance.TallyNoCheckOut", tally.NoCheckOut]);
        }

        return strings[confirmed ? "Attendance.ConfirmedSummary" : "Attendance.PreviewSummary", string.Join(strings["Attendance.TallySeparator"].Value, parts)];
    }
}
