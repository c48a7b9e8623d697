using DezhiHub.Domain.Weddings;

namespace DezhiHub.Web.Features.Weddings;

/// <summary>A wedding service in its manager's list, with the bookings still ahead of it.</summary>
/// <param name="Upcoming">Active bookings (requested, approved, lottery entries) whose slot has not ended.</param>
/// <param name="AwaitingReview">Of those, the requests still waiting for a reviewer.</param>
public sealed record ManagedResource(
    int Id,
    WeddingServiceKind Kind,
    string Name,
    string Location,
    int OrgNodeId,
    string OrgName,
    string? ProviderName,
    int? Seats,
    int? PriceCapYuan,
    string? Counsellor,
    int Capacity,
    WeeklyHours Hours,
    int SlotMinutes,
    int BufferMinutes,
    int SessionCount,
    bool RequiresApproval,
    bool IsRetired,
    int Upcoming,
    int AwaitingReview);

/// <summary>A resource as the edit form loads it, with who its provider is.</summary>
public sealed record ResourceEdit(int Id, WeddingResourceDetails Details, ProviderOption? Provider, bool IsRetired);

/// <summary>An account that can provide a service: a Partner enterprise, or a steward found by their mobile number.</summary>
public sealed record ProviderOption(int UserId, string Name, string PhoneMasked, string? OrgName, bool IsPartner);

/// <summary>One field's refusal: the field's name (as in <see cref="WeddingResourceDetails"/>) and the message code.</summary>
public sealed record FieldRefusal(string Field, string Code);

/// <summary>
/// A resource's details break one or more rules; every refusal is listed so the form can show each under its field.
/// Nothing was saved.
/// </summary>
public sealed class ResourceDetailsInvalidException(IReadOnlyList<FieldRefusal> errors)
    : Exception("Invalid wedding service: " + string.Join(", ", errors.Select(e => $"{e.Field}={e.Code}")))
{
    public IReadOnlyList<FieldRefusal> Errors { get; } = errors;
}

/// <summary>A peak date in the Admin's list.</summary>
/// <param name="Entries">Lottery entries waiting for the draw.</param>
public sealed record LotteryDateRow(int Id, DateOnly Date, DateTime DeadlineUtc, DateTime? DrawnAtUtc, long? Seed, int Entries, bool IsCollecting)
{
    public bool IsDrawn => DrawnAtUtc is not null;

    /// <summary>Only a date nobody has entered and that was not drawn can be taken back.</summary>
    public bool CanRemove => !IsDrawn && Entries == 0;
}

/// <summary>One item of the civilized-wedding pledge in the Admin's list.</summary>
public sealed record PledgeItemRow(int Id, string Text, int SortOrder, bool IsRetired);
