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
public sealed record MyStanding(BookingStatus? ThisSlot, int ActiveOfKind);
