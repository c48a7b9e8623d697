using DezhiHub.Domain.Weddings;

namespace DezhiHub.Web.Features.Weddings;

/// <summary>A bookable service as residents see it.</summary>
public sealed record ServiceSummary(
    int Id,
    WeddingServiceKind Kind,
    string Name,
    string Description,
    string Location,
    int? Seats,
    int? PriceCapYuan,
    string? Counsellor,
    string? ProviderName,
    string OrgName,
    int Capacity,
    int SlotMinutes,
    BookingRules Rules);

public enum SlotState
{
    Free = 0,

    /// <summary>An exclusive slot held by someone (never says by whom).</summary>
    Taken = 1,

    /// <summary>Every place of a capacity slot is taken.</summary>
    Full = 2,

    /// <summary>Over, or inside the minimum notice, or beyond the maximum advance.</summary>
    Unavailable = 3,

    /// <summary>A lottery date still collecting entries.</summary>
    Lottery = 4,

    /// <summary>A lottery date whose entries are closed and not drawn yet.</summary>
    LotteryPending = 5,
}

public sealed record SlotView(DateTime StartUtc, DateTime EndUtc, SlotState State, int PlacesLeft, string? UnavailableCode);

public sealed record DayAvailability(DateOnly Date, IReadOnlyList<SlotView> Slots, DateTime? LotteryDeadlineUtc);

public sealed record Availability(ServiceSummary Service, IReadOnlyList<DayAvailability> Days);

public sealed record BookingStep(BookingStatus Status, DateTime AtUtc, string? Reason);

/// <summary>One of the resident's bookings, with its history and, once approved, its voucher code.</summary>
public sealed record MyBooking(
    int Id,
    WeddingServiceKind Kind,
    int ResourceId,
    string ResourceName,
    string Location,
    DateTime StartUtc,
    DateTime EndUtc,
    BookingStatus Status,
    string PartnerName,
    string Note,
    string? DecisionReason,
    Guid? PlanId,
    bool CanCancel,
    DateTime CancelUntilUtc,
    string? VoucherToken,
    IReadOnlyList<BookingStep> History);

public sealed record ReviewFilter(WeddingServiceKind? Kind = null, BookingStatus? Status = null, int? ResourceId = null, DateOnly? From = null, DateOnly? To = null);

/// <summary>A booking in a reviewer's queue.</summary>
public sealed record ReviewItem(
    int Id,
    WeddingServiceKind Kind,
    int ResourceId,
    string ResourceName,
    string ApplicantName,
    string ApplicantPhoneMasked,
    string PartnerName,
    string Note,
    DateTime StartUtc,
    DateTime EndUtc,
    BookingStatus Status,
    DateTime CreatedAtUtc,
    DateTime? ReviewDueUtc,
    string? DecisionReason);

/// <summary>What staff see after scanning a booking voucher.</summary>
public sealed record VoucherView(
    int BookingId,
    WeddingServiceKind Kind,
    string ResourceName,
    string Location,
    DateTime StartUtc,
    DateTime EndUtc,
    string ApplicantNameMasked,
    string PartnerName,
    BookingStatus Status,
    DateTime? ArrivedAtUtc,
    bool MayMarkArrival);

/// <summary>A resource staff may pick in a review filter.</summary>
public sealed record ResourceOption(int Id, WeddingServiceKind Kind, string Name);
