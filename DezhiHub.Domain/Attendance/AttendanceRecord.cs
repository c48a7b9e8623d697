namespace DezhiHub.Domain.Attendance;

public enum CheckInMethod
{
    /// <summary>Scanned the activity's rotating code with their own phone.</summary>
    Screen = 0,

    /// <summary>An organizer scanned the volunteer's card.</summary>
    Card = 1,

    /// <summary>An organizer checked the person in by hand, with a reason.</summary>
    Manual = 2,
}

/// <summary>
/// One person's attendance (签到/签退) at one activity — one row per (activity, person), enforced by the database, so
/// a second scan finds the first and answers "already checked in at 09:02". Hours are credited from it once.
/// </summary>
public sealed class AttendanceRecord
{
    public const int ReasonMaxLength = 200;

    private AttendanceRecord()
    {
    }

    public int Id { get; private set; }

    public int ActivityId { get; private set; }

    public int UserId { get; private set; }

    public DateTime CheckedInAtUtc { get; private set; }

    public CheckInMethod CheckInMethod { get; private set; }

    public DateTime? CheckedOutAtUtc { get; private set; }

    public CheckInMethod? CheckOutMethod { get; private set; }

    /// <summary>The organizer who recorded a card or manual check-in/out, if not the person themself.</summary>
    public int? RecordedByUserId { get; private set; }

    public string? ManualReason { get; private set; }

    /// <summary>Minutes credited as volunteer service; null until credited — and never credited twice.</summary>
    public int? CreditedMinutes { get; private set; }

    public DateTime? CreditedAtUtc { get; private set; }

    public static AttendanceRecord CheckIn(int activityId, int userId, CheckInMethod method, DateTime nowUtc, int? recordedByUserId = null, string? reason = null)
    {
        var trimmed = PersonText.CheckedMultiline(reason);
        if (method == CheckInMethod.Manual && string.IsNullOrEmpty(trimmed))
        {
            throw new DomainException(ErrorCodes.CheckIn.ReasonRequired);
        }

        return new AttendanceRecord
        {
            ActivityId = activityId,
            UserId = userId,
            CheckedInAtUtc = nowUtc,
            CheckInMethod = method,
            RecordedByUserId = method == CheckInMethod.Screen ? null : recordedByUserId,
            ManualReason = string.IsNullOrEmpty(trimmed) ? null : trimmed.Length <= ReasonMaxLength ? trimmed : trimmed[..ReasonMaxLength],
        };
    }

    /// <summary>Records the check-out; false (and nothing changes) when it was recorded already.</summary>
    public bool CheckOut(CheckInMethod method, DateTime nowUtc)
    {
        if (CheckedOutAtUtc is not null)
        {
            return false;
        }

        CheckedOutAtUtc = nowUtc > CheckedInAtUtc ? nowUtc : CheckedInAtUtc;
        CheckOutMethod = method;
        return true;
    }

    /// <summary>
    /// Credits the service minutes for the scheduled time, once: later calls return false and change nothing, so a
    /// confirmation and a sweep cannot both credit.
    /// </summary>
    public bool Credit(DateTime scheduledStartUtc, DateTime scheduledEndUtc, double minimumShare, DateTime nowUtc)
    {
        if (CreditedAtUtc is not null)
        {
            return false;
        }

        CreditedMinutes = ServiceHours.CreditedMinutes(scheduledStartUtc, scheduledEndUtc, CheckedInAtUtc, CheckedOutAtUtc, minimumShare);
        CreditedAtUtc = nowUtc;
        return true;
    }
}
