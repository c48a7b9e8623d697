namespace DezhiHub.Domain.Weddings;

public enum BookingStatus
{
    /// <summary>Waiting for the reviewer; holds its slot until reviewed or expired.</summary>
    Requested = 0,
    Approved = 1,
    Declined = 2,
    Cancelled = 3,

    /// <summary>Not reviewed in time; the slot was freed.</summary>
    Expired = 4,

    /// <summary>The couple came (their voucher was scanned) or the reviewer marked it done.</summary>
    Completed = 5,
    NoShow = 6,

    /// <summary>Entered in a peak-date lottery; holds no slot until the draw.</summary>
    InLottery = 7,

    /// <summary>Not drawn in a peak-date lottery.</summary>
    LostLottery = 8,
}

public static class BookingStatuses
{
    /// <summary>Still under way — requested, approved or in a lottery: what the household limit counts.</summary>
    public static bool IsActive(this BookingStatus status) =>
        status is BookingStatus.Requested or BookingStatus.Approved or BookingStatus.InLottery;
}

/// <summary>
/// A resident's booking (预约) of one slot of a <see cref="WeddingResource"/>. Requested → Approved / Declined (with a
/// reason) → Completed or NoShow; Cancelled by the resident before the cut-off; Expired when nobody reviewed it in time.
/// A booking that holds its slot (requested or approved) has claim rows or a counted place; every other state has
/// given them back.
/// </summary>
public sealed class Booking : Aggregate
{
    public const int NoteMaxLength = 200;
    public const int ReasonMaxLength = 200;
    public const int PartnerNameMaxLength = 40;

    private Booking()
    {
    }

    public int Id { get; private set; }

    public int ResourceId { get; private set; }

    public WeddingServiceKind Kind { get; private set; }

    public int ApplicantUserId { get; private set; }

    /// <summary>The other half of the couple, as the applicant gave the name.</summary>
    public string PartnerName { get; private set; } = "";

    public string Note { get; private set; } = "";

    public DateTime SlotStartUtc { get; private set; }

    public DateTime SlotEndUtc { get; private set; }

    public BookingStatus Status { get; private set; }

    /// <summary>Bookings made together by one wedding plan share its id.</summary>
    public Guid? PlanId { get; private set; }

    /// <summary>
    /// The id the resident's device gave this request (one per form shown): the same id sent again — a double tap, a
    /// re-sent form — is answered with this booking instead of making or refusing a second. Unique per applicant.
    /// </summary>
    public Guid? RequestId { get; private set; }

    public DateTime CreatedAtUtc { get; private set; }

    /// <summary>A request not reviewed by then expires.</summary>
    public DateTime? ReviewDueUtc { get; private set; }

    public DateTime? DecidedAtUtc { get; private set; }

    public int? DecidedByUserId { get; private set; }

    public string? DecisionReason { get; private set; }

    public DateTime? ArrivedAtUtc { get; private set; }

    public DateTime? ReminderSentAtUtc { get; private set; }

    /// <summary>Holds a slot: claim rows (exclusive resources) or one counted place.</summary>
    public bool HoldsSlot => Status is BookingStatus.Requested or BookingStatus.Approved;

    /// <summary>Counts towards the household limit.</summary>
    public bool IsActive => Status.IsActive();

    public static Booking Request(
        WeddingResource resource, int applicantUserId, DateTime slotStartUtc, DateTime slotEndUtc, string? partnerName, string? note,
        DateTime nowUtc, Guid? planId = null, bool lottery = false, Guid? requestId = null)
    {
        var booking = new Booking
        {
            ResourceId = resource.Id,
            Kind = resource.Kind,
            ApplicantUserId = applicantUserId,
            PartnerName = Clean(PersonText.Checked(partnerName), PartnerNameMaxLength, ErrorCodes.Booking.PartnerNameTooLong),
            Note = Clean(PersonText.CheckedMultiline(note), NoteMaxLength, ErrorCodes.Booking.NoteTooLong),
            SlotStartUtc = slotStartUtc,
            SlotEndUtc = slotEndUtc,
            PlanId = planId,
            RequestId = requestId,
            CreatedAtUtc = nowUtc,
        };
        if (lottery)
        {
            booking.Status = BookingStatus.InLottery;
        }
        else
        {
            booking.Enter(resource.Rules, nowUtc);
        }

        booking.Raise(new BookingChanged(booking, BookingChanged.Requested, null, applicantUserId));
        return booking;
    }

    /// <summary>A lottery winner's entry becomes a normal request (or is approved at once when no review is needed).</summary>
    public void WinLottery(BookingRules rules, DateTime nowUtc)
    {
        Require(BookingStatus.InLottery);
        Enter(rules, nowUtc);
    }

    public void LoseLottery(DateTime nowUtc)
    {
        Require(BookingStatus.InLottery);
        Status = BookingStatus.LostLottery;
        DecidedAtUtc = nowUtc;
    }

    public void Approve(int reviewerUserId, DateTime nowUtc)
    {
        Require(BookingStatus.Requested);
        Status = BookingStatus.Approved;
        DecidedAtUtc = nowUtc;
        DecidedByUserId = reviewerUserId;
        ReviewDueUtc = null;
        Raise(new BookingChanged(this, BookingChanged.Approved, BookingStatus.Requested, reviewerUserId));
    }

    public void Decline(int reviewerUserId, string reason, DateTime nowUtc)
    {
        Require(BookingStatus.Requested);
        var trimmed = RequiredReason(reason);
        Status = BookingStatus.Declined;
        DecidedAtUtc = nowUtc;
        DecidedByUserId = reviewerUserId;
        DecisionReason = trimmed;
        ReviewDueUtc = null;
        Raise(new BookingChanged(this, BookingChanged.Declined, BookingStatus.Requested, reviewerUserId, trimmed));
    }

    /// <summary>The resident cancels, up to <see cref="BookingRules.CancelCutoffHours"/> before the start.</summary>
    public void Cancel(int byUserId, BookingRules rules, DateTime nowUtc)
    {
        if (!IsActive)
        {
            throw new DomainException(ErrorCodes.Booking.NotActive);
        }

        if (Status != BookingStatus.InLottery && nowUtc > SlotStartUtc.AddHours(-rules.CancelCutoffHours))
        {
            throw new DomainException(ErrorCodes.Booking.PastCutoff, rules.CancelCutoffHours);
        }

        var before = Status;
        Status = BookingStatus.Cancelled;
        DecidedAtUtc = nowUtc;
        DecidedByUserId = byUserId;
        ReviewDueUtc = null;
        Raise(new BookingChanged(this, BookingChanged.Cancelled, before, byUserId));
    }

    public bool IsReviewOverdue(DateTime nowUtc) => Status == BookingStatus.Requested && ReviewDueUtc <= nowUtc;

    public void Expire(DateTime nowUtc)
    {
        if (!IsReviewOverdue(nowUtc))
        {
            throw new DomainException(ErrorCodes.Booking.NotActive);
        }

        Status = BookingStatus.Expired;
        DecidedAtUtc = nowUtc;
        ReviewDueUtc = null;
        Raise(new BookingChanged(this, BookingChanged.Expired, BookingStatus.Requested, null));
    }

    /// <summary>The voucher was scanned at the hall or office: the couple came. Allowed on the day of the slot.</summary>
    public void Arrive(int staffUserId, DateTime nowUtc, DateOnly todayLocal, DateOnly slotDayLocal)
    {
        if (Status == BookingStatus.Completed && ArrivedAtUtc is not null)
        {
            throw new DomainException(ErrorCodes.Booking.AlreadyArrived);
        }

        Require(BookingStatus.Approved);
        if (todayLocal != slotDayLocal)
        {
            throw new DomainException(todayLocal < slotDayLocal ? "Booking.ArriveTooEarly" : "Booking.ArriveTooLate");
        }

        Status = BookingStatus.Completed;
        ArrivedAtUtc = nowUtc;
        DecidedByUserId = staffUserId;
        Raise(new BookingChanged(this, BookingChanged.Arrived, BookingStatus.Approved, staffUserId));
    }

    /// <summary>The reviewer closes an approved booking once its slot has begun: done, or the couple did not come.</summary>
    public void Close(bool cameAlong, int reviewerUserId, DateTime nowUtc)
    {
        Require(BookingStatus.Approved);
        if (nowUtc < SlotStartUtc)
        {
            throw new DomainException(ErrorCodes.Booking.NotStartedYet);
        }

        Status = cameAlong ? BookingStatus.Completed : BookingStatus.NoShow;
        DecidedAtUtc = nowUtc;
        DecidedByUserId = reviewerUserId;
        Raise(new BookingChanged(this, cameAlong ? BookingChanged.Completed : BookingChanged.NoShow, BookingStatus.Approved, reviewerUserId));
    }

    public static string RequiredReason(string? reason)
    {
        var trimmed = PersonText.CheckedMultiline(reason);
        if (trimmed.Length == 0)
        {
            throw new DomainException(ErrorCodes.Booking.ReasonRequired);
        }

        return trimmed.Length > ReasonMaxLength ? throw new DomainException(ErrorCodes.Booking.ReasonTooLong, ReasonMaxLength) : trimmed;
    }

    private void Enter(BookingRules rules, DateTime nowUtc)
    {
        if (rules.RequiresApproval)
        {
            Status = BookingStatus.Requested;
            var due = nowUtc.AddHours(rules.ReviewWithinHours);
            ReviewDueUtc = due < SlotStartUtc ? due : SlotStartUtc;
        }
        else
        {
            Status = BookingStatus.Approved;
            DecidedAtUtc = nowUtc;
        }
    }

    private void Require(BookingStatus status)
    {
        if (Status != status)
        {
            throw new DomainException(ErrorCodes.Booking.WrongState, Status);
        }
    }

    private static string Clean(string text, int max, string code) =>
        text.Length > max ? throw new DomainException(code, max) : text;
}

/// <summary>One step of a booking's history, shown to the resident ("my bookings") and the reviewer.</summary>
public sealed class BookingEvent
{
    private BookingEvent()
    {
    }

    public long Id { get; private set; }

    public int BookingId { get; private set; }

    public BookingStatus Status { get; private set; }

    public DateTime AtUtc { get; private set; }

    /// <summary>Null for the system (expiry sweep, lottery draw).</summary>
    public int? ActorUserId { get; private set; }

    public string? Reason { get; private set; }

    public static BookingEvent Of(Booking booking, int? actorUserId, DateTime nowUtc, string? reason = null) => new()
    {
        BookingId = booking.Id,
        Status = booking.Status,
        AtUtc = nowUtc,
        ActorUserId = actorUserId,
        Reason = reason,
    };
}

/// <summary>A half-hour of an exclusive resource held by a booking. Unique per (resource, unit).</summary>
public sealed class SlotClaim
{
    public int ResourceId { get; init; }

    public DateTime UnitStartUtc { get; init; }

    public int BookingId { get; init; }
}

/// <summary>The places taken in one slot of a capacity resource: a counter only ever changed by a guarded update.</summary>
public sealed class SlotCount
{
    public int ResourceId { get; init; }

    public DateTime SlotStartUtc { get; init; }

    public int Taken { get; init; }
}
