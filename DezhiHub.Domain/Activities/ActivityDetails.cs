namespace DezhiHub.Domain.Activities;

/// <summary>
/// What an organizer fills in for an activity. <see cref="Validate"/> states every rule once, for the form, the
/// service and the tests alike. Times are UTC.
/// </summary>
public sealed record ActivityDetails
{
    public const int TitleMaxLength = 100;
    public const int DescriptionMaxLength = 4000;
    public const int PlaceMaxLength = 200;
    public const int MaxPointsPerHour = 100;
    public const int DefaultPointsPerHour = 10;
    public const int MaxCapacity = 100_000;
    public const int DefaultCheckInOpensMinutesBefore = 30;
    public const int MaxCheckInOpensMinutesBefore = 240;
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(3);

    public string Title { get; init; } = "";

    /// <summary>Plain text; shown with line breaks kept, never as HTML.</summary>
    public string Description { get; init; } = "";

    public EightEntry Entry { get; init; }

    public IReadOnlyList<int> ThemeIds { get; init; } = [];

    public int OrgNodeId { get; init; }

    public string Place { get; init; } = "";

    public DateTime StartUtc { get; init; }

    public DateTime EndUtc { get; init; }

    /// <summary>Null: no limit.</summary>
    public int? Capacity { get; init; }

    public bool SignUpRequired { get; init; } = true;

    public bool WalkInsAllowed { get; init; }

    /// <summary>Null: sign-up stays open until the start.</summary>
    public DateTime? SignUpDeadlineUtc { get; init; }

    /// <summary>Null: a sign-up can be cancelled until the start.</summary>
    public DateTime? CancellationDeadlineUtc { get; init; }

    public int PointsPerHour { get; init; } = DefaultPointsPerHour;

    /// <summary>How long before the start the door opens: check-in is possible from then until the end.</summary>
    public int CheckInOpensMinutesBefore { get; init; } = DefaultCheckInOpensMinutesBefore;

    public TimeSpan Duration => EndUtc - StartUtc;

    /// <summary>Every broken rule as (field, resource key); empty when the details are valid.</summary>
    public IReadOnlyList<(string Field, string Code)> Validate()
    {
        var errors = new List<(string, string)>();
        if (PersonText.HasDirectionControl(Title))
        {
            errors.Add((nameof(Title), PersonText.DirectionControlCode));
        }
        else if (PersonText.Clean(Title).Length == 0)
        {
            errors.Add((nameof(Title), ErrorCodes.Activity.TitleRequired));
        }
        else if (PersonText.Clean(Title).Length > TitleMaxLength)
        {
            errors.Add((nameof(Title), ErrorCodes.Activity.TitleTooLong));
        }

        if (PersonText.HasDirectionControl(Description))
        {
            errors.Add((nameof(Description), PersonText.DirectionControlCode));
        }
        else if (PersonText.CheckedMultiline(Description).Length > DescriptionMaxLength)
        {
            errors.Add((nameof(Description), ErrorCodes.Activity.DescriptionTooLong));
        }

        if (!Enum.IsDefined(Entry))
        {
            errors.Add((nameof(Entry), ErrorCodes.Activity.EntryRequired));
        }

        if (ThemeIds.Count == 0)
        {
            errors.Add((nameof(ThemeIds), ErrorCodes.Activity.ThemeRequired));
        }

        if (OrgNodeId <= 0)
        {
            errors.Add((nameof(OrgNodeId), ErrorCodes.Activity.OrgRequired));
        }

        if (PersonText.HasDirectionControl(Place))
        {
            errors.Add((nameof(Place), PersonText.DirectionControlCode));
        }
        else if (PersonText.Clean(Place).Length == 0)
        {
            errors.Add((nameof(Place), ErrorCodes.Activity.PlaceRequired));
        }
        else if (PersonText.Clean(Place).Length > PlaceMaxLength)
        {
            errors.Add((nameof(Place), ErrorCodes.Activity.PlaceTooLong));
        }

        if (EndUtc <= StartUtc)
        {
            errors.Add((nameof(EndUtc), ErrorCodes.Activity.EndBeforeStart));
        }
        else if (Duration > MaxDuration)
        {
            errors.Add((nameof(EndUtc), ErrorCodes.Activity.TooLong));
        }

        if (Capacity is < 1 or > MaxCapacity)
        {
            errors.Add((nameof(Capacity), ErrorCodes.Activity.CapacityInvalid));
        }

        if (SignUpDeadlineUtc is { } signUp && signUp > StartUtc)
        {
            errors.Add((nameof(SignUpDeadlineUtc), ErrorCodes.Activity.SignUpDeadlineAfterStart));
        }

        if (CancellationDeadlineUtc is { } cancel && cancel > StartUtc)
        {
            errors.Add((nameof(CancellationDeadlineUtc), ErrorCodes.Activity.CancelDeadlineAfterStart));
        }

        if (PointsPerHour is < 0 or > MaxPointsPerHour)
        {
            errors.Add((nameof(PointsPerHour), ErrorCodes.Activity.PointsInvalid));
        }

        if (CheckInOpensMinutesBefore is < 0 or > MaxCheckInOpensMinutesBefore)
        {
            errors.Add((nameof(CheckInOpensMinutesBefore), ErrorCodes.Activity.CheckInWindowInvalid));
        }

        return errors;
    }

    /// <summary>The same details with text cleaned (<see cref="PersonText"/>); throws the first broken rule.</summary>
    public ActivityDetails Checked()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new DomainException(errors[0].Code);
        }

        return this with
        {
            Title = PersonText.Checked(Title),
            Description = PersonText.CheckedMultiline(Description),
            Place = PersonText.Checked(Place),
            ThemeIds = [.. ThemeIds.Distinct()],
        };
    }
}
