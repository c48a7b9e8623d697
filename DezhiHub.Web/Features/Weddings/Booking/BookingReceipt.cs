using DezhiHub.Domain.Weddings;

namespace DezhiHub.Web.Features.Weddings;

/// <summary>What came of a booking made on the booking page: requested (reviewed by <see cref="ReviewDueUtc"/>), approved, or in a lottery.</summary>
public sealed record BookingReceipt(
    int Id,
    int ResourceId,
    WeddingServiceKind Kind,
    string ServiceName,
    DateTime StartUtc,
    DateTime EndUtc,
    BookingStatus Status,
    DateTime? ReviewDueUtc);

/// <summary>The resident's own booking of a slot (null when none) and their active bookings of that kind of service.</summary>
public sealed record MyStanding(BookingStatus? ThisSlot, IReadOnlyList<HeldBooking> ActiveOfKind);

/// <summary>An active booking (requested, approved, in a lottery) that counts towards the household limit.</summary>
public sealed record HeldBooking(int Id, int ResourceId, string ResourceName, DateTime StartUtc, BookingStatus Status);

/// <summary>
/// One slot as the booking page offers it: the service, the slot's state (null when the service has no slot starting
/// then), the deadline of the date's lottery still to be drawn, and where the resident stands.
/// </summary>
public sealed record SlotOffer(ServiceSummary Service, SlotView? Slot, DateTime? LotteryDeadlineUtc, MyStanding Standing);
