namespace DezhiHub.Domain.Weddings;

/// <summary>The rules a resource's bookings follow.</summary>
public sealed record BookingRules
{
    /// <summary>Days between today and the booked day, at least (0 = the same day).</summary>
    public int MinNoticeDays { get; init; } = 3;

    /// <summary>How far ahead a day may be booked, in days.</summary>
    public int MaxAdvanceDays { get; init; } = 180;

    /// <summary>Active bookings (requested, approved, in a lottery) one household may hold of this kind of service.</summary>
    public int HouseholdLimit { get; init; } = 1;

    /// <summary>The resident may cancel until this many hours before the start.</summary>
    public int CancelCutoffHours { get; init; } = 48;

    /// <summary>Whether a request waits for a reviewer; otherwise it is approved at once.</summary>
    public bool RequiresApproval { get; init; } = true;

    /// <summary>A request not reviewed within this many hours expires and frees its slot.</summary>
    public int ReviewWithinHours { get; init; } = 72;

    public static BookingRules DefaultFor(WeddingServiceKind kind) => kind switch
    {
        WeddingServiceKind.CeremonyHall => new(),
        WeddingServiceKind.FolkSteward => new() { MinNoticeDays = 3, MaxAdvanceDays = 180, CancelCutoffHours = 72 },
        WeddingServiceKind.RegistrationAppointment => new() { MinNoticeDays = 1, MaxAdvanceDays = 30, CancelCutoffHours = 2, RequiresApproval = false },
        WeddingServiceKind.AlliancePackage => new() { MinNoticeDays = 7, MaxAdvanceDays = 365, HouseholdLimit = 3, CancelCutoffHours = 72 },
        WeddingServiceKind.CounselingSession => new() { MinNoticeDays = 0, MaxAdvanceDays = 90, HouseholdLimit = 2, CancelCutoffHours = 12, RequiresApproval = false },
        _ => new(),
    };

    public IReadOnlyList<(string Field, string Code)> Validate()
    {
        var errors = new List<(string, string)>();
        if (MinNoticeDays is < 0 or > 365)
        {
            errors.Add((nameof(MinNoticeDays), ErrorCodes.Wedding.NoticeInvalid));
        }

        if (MaxAdvanceDays is < 1 or > 730 || MaxAdvanceDays < MinNoticeDays)
        {
            errors.Add((nameof(MaxAdvanceDays), ErrorCodes.Wedding.AdvanceInvalid));
        }

        if (HouseholdLimit is < 1 or > 20)
        {
            errors.Add((nameof(HouseholdLimit), ErrorCodes.Wedding.HouseholdLimitInvalid));
        }

        if (CancelCutoffHours is < 0 or > 720)
        {
            errors.Add((nameof(CancelCutoffHours), ErrorCodes.Wedding.CutoffInvalid));
        }

        if (ReviewWithinHours is < 1 or > 720)
        {
            errors.Add((nameof(ReviewWithinHours), ErrorCodes.Wedding.ReviewWindowInvalid));
        }

        return errors;
    }

    /// <summary>
    /// Whether a slot starting at <paramref name="slotStartLocal"/> may be booked at <paramref name="nowLocal"/>
    /// (both in the deployment's zone); null when it may, else the refusal's code.
    /// </summary>
    public string? RefusalFor(DateTime slotStartLocal, DateTime nowLocal)
    {
        if (slotStartLocal <= nowLocal)
        {
            return "Booking.SlotPast";
        }

        var days = DateOnly.FromDateTime(slotStartLocal).DayNumber - DateOnly.FromDateTime(nowLocal).DayNumber;
        if (days < MinNoticeDays)
        {
            return "Booking.TooSoon";
        }

        return days > MaxAdvanceDays ? "Booking.TooFarAhead" : null;
    }
}
