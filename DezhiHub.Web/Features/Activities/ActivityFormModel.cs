using DezhiHub.Domain.Activities;
using DezhiHub.Domain;
using DezhiHub.Web.Platform.Localization;

namespace DezhiHub.Web.Features.Activities;

public enum RepeatKind
{
    None,
    Weekly,
    Monthly,
}

/// <summary>
/// What the activity form edits: local dates and times as the pickers give them, turned into
/// <see cref="ActivityDetails"/> (UTC) for the service. The rules are the domain's: <see cref="Validate"/> asks
/// <see cref="ActivityDetails.Validate"/> and <see cref="RecurrenceRule.Expand"/> and only adds what a form alone can
/// get wrong (a date or time left empty).
/// </summary>
public sealed class ActivityFormModel
{
    // Keys of the places where the form shows a message; the domain's field names map onto them.
    public const string TitleField = nameof(ActivityDetails.Title);
    public const string DescriptionField = nameof(ActivityDetails.Description);
    public const string EntryField = nameof(ActivityDetails.Entry);
    public const string ThemesField = nameof(ActivityDetails.ThemeIds);
    public const string OrgField = nameof(ActivityDetails.OrgNodeId);
    public const string PlaceField = nameof(ActivityDetails.Place);
    public const string StartField = "Start";
    public const string EndField = "End";
    public const string CapacityField = nameof(ActivityDetails.Capacity);
    public const string SignUpDeadlineField = "SignUpDeadline";
    public const string CancelDeadlineField = "CancelDeadline";
    public const string PointsField = nameof(ActivityDetails.PointsPerHour);
    public const string CheckInWindowField = nameof(ActivityDetails.CheckInOpensMinutesBefore);
    public const string RepeatField = "Repeat";
    public const string CoverField = "Cover";

    public string Title { get; set; } = "";

    public string Description { get; set; } = "";

    public EightEntry? Entry { get; set; }

    public IReadOnlyCollection<int> ThemeIds { get; set; } = [];

    public int? OrgNodeId { get; set; }

    public string Place { get; set; } = "";

    public DateTime? StartDate { get; set; }

    public TimeSpan? StartTime { get; set; }

    public DateTime? EndDate { get; set; }

    public TimeSpan? EndTime { get; set; }

    /// <summary>Empty: no limit.</summary>
    public int? Capacity { get; set; }

    public bool SignUpRequired { get; set; } = true;

    public bool WalkInsAllowed { get; set; }

    public DateTime? SignUpDeadlineDate { get; set; }

    public TimeSpan? SignUpDeadlineTime { get; set; }

    public DateTime? CancelDeadlineDate { get; set; }

    public TimeSpan? CancelDeadlineTime { get; set; }

    public int PointsPerHour { get; set; } = ActivityDetails.DefaultPointsPerHour;

    public int CheckInOpensMinutesBefore { get; set; } = ActivityDetails.DefaultCheckInOpensMinutesBefore;

    public RepeatKind Repeat { get; set; }

    public int RepeatInterval { get; set; } = 1;

    /// <summary>True: the series ends after <see cref="RepeatCount"/> occurrences; false: on <see cref="RepeatUntil"/>.</summary>
    public bool RepeatByCount { get; set; } = true;

    public int? RepeatCount { get; set; } = 4;

    public DateTime? RepeatUntil { get; set; }

    /// <summary>On edit of a series occurrence: whether the later occurrences change too.</summary>
    public SeriesScope Scope { get; set; } = SeriesScope.ThisOnly;

    /// <summary>A new, empty form: tomorrow 09:00–11:00 local, hosted by <paramref name="orgNodeId"/>.</summary>
    public static ActivityFormModel New(DateTime localNow, int? orgNodeId) => new()
    {
        OrgNodeId = orgNodeId,
        StartDate = localNow.Date.AddDays(1),
        StartTime = TimeSpan.FromHours(9),
        EndDate = localNow.Date.AddDays(1),
        EndTime = TimeSpan.FromHours(11),
    };

    public static ActivityFormModel From(ActivityDetail detail, DisplayTime time)
    {
        var summary = detail.Summary;
        var start = time.ToLocal(summary.StartUtc);
        var end = time.ToLocal(summary.EndUtc);
        var signUp = detail.SignUpDeadlineUtc is { } s ? time.ToLocal(s) : (DateTime?)null;
        var cancel = detail.CancellationDeadlineUtc is { } c ? time.ToLocal(c) : (DateTime?)null;
        return new ActivityFormModel
        {
            Title = summary.Title,
            Description = detail.Description,
            Entry = summary.Entry,
            ThemeIds = [.. detail.ThemeIds],
            OrgNodeId = summary.OrgNodeId,
            Place = summary.Place,
            StartDate = start.Date,
            StartTime = start.TimeOfDay,
            EndDate = end.Date,
            EndTime = end.TimeOfDay,
            Capacity = summary.Capacity,
            SignUpRequired = summary.SignUpRequired,
            WalkInsAllowed = detail.WalkInsAllowed,
            SignUpDeadlineDate = signUp?.Date,
            SignUpDeadlineTime = signUp?.TimeOfDay,
            CancelDeadlineDate = cancel?.Date,
            CancelDeadlineTime = cancel?.TimeOfDay,
            PointsPerHour = detail.PointsPerHour,
            CheckInOpensMinutesBefore = detail.CheckInOpensMinutesBefore,
        };
    }

    public DateTime? LocalStart => Combine(StartDate, StartTime);

    public DateTime? LocalEnd => Combine(EndDate, EndTime);

    /// <summary>The details for the service, times turned into UTC. Call after <see cref="Validate"/> found nothing.</summary>
    public ActivityDetails ToDetails(DisplayTime time) => new()
    {
        Title = Title ?? "",
        Description = Description ?? "",
        // An unset entry becomes a value the domain refuses, so "choose an entry" is the domain's message.
        Entry = Entry ?? (EightEntry)(-1),
        ThemeIds = [.. ThemeIds],
        OrgNodeId = OrgNodeId ?? 0,
        Place = Place ?? "",
        StartUtc = LocalStart is { } start ? time.ToUtc(start) : default,
        EndUtc = LocalEnd is { } end ? time.ToUtc(end) : default,
        // Without sign-up there is nothing to limit or to close: the hidden fields do not count.
        Capacity = SignUpRequired ? Capacity : null,
        SignUpRequired = SignUpRequired,
        WalkInsAllowed = WalkInsAllowed,
        SignUpDeadlineUtc = SignUpRequired && Combine(SignUpDeadlineDate, SignUpDeadlineTime) is { } signUp ? time.ToUtc(signUp) : null,
        CancellationDeadlineUtc = SignUpRequired && Combine(CancelDeadlineDate, CancelDeadlineTime) is { } cancel ? time.ToUtc(cancel) : null,
        PointsPerHour = PointsPerHour,
        CheckInOpensMinutesBefore = CheckInOpensMinutesBefore,
    };

    public RecurrenceRule? ToRecurrence() => Repeat switch
    {
        RepeatKind.None => null,
        _ => new RecurrenceRule(
            Repeat == RepeatKind.Weekly ? RecurrenceFrequency.Weekly : RecurrenceFrequency.Monthly,
            RepeatInterval,
            RepeatByCount ? null : RepeatUntil is { } until ? DateOnly.FromDateTime(until) : null,
            RepeatByCount ? RepeatCount ?? 0 : null),
    };

    /// <summary>
    /// Every problem as field → resource key (with its arguments), first problem per field. <paramref name="localNow"/>
    /// is given for a new activity, whose start must lie ahead.
    /// </summary>
    public IReadOnlyDictionary<string, (string Code, object[] Args)> Validate(DisplayTime time, bool isNew, DateTime? localNow = null)
    {
        var errors = new Dictionary<string, (string, object[])>();
        void Add(string field, string code, params object[] args) => errors.TryAdd(field, (code, args));

        if (LocalStart is null)
        {
            Add(StartField, "ActivityForm.StartRequired");
        }

        if (LocalEnd is null)
        {
            Add(EndField, "ActivityForm.EndRequired");
        }

        if (SignUpRequired && SignUpDeadlineDate is null != SignUpDeadlineTime is null)
        {
            Add(SignUpDeadlineField, "ActivityForm.DateAndTime");
        }

        if (SignUpRequired && CancelDeadlineDate is null != CancelDeadlineTime is null)
        {
            Add(CancelDeadlineField, "ActivityForm.DateAndTime");
        }

        foreach (var (field, code) in ToDetails(time).Validate())
        {
            // Time rules only mean something once both times are there.
            if (field == nameof(ActivityDetails.EndUtc) && (LocalStart is null || LocalEnd is null))
            {
                continue;
            }

            Add(FieldOf(field), code);
        }

        if (isNew && localNow is { } now && LocalStart is { } start && start <= now)
        {
            Add(StartField, ErrorCodes.Activity.StartInPast);
        }

        if (isNew && ToRecurrence() is { } rule && LocalStart is { } first)
        {
            try
            {
                rule.Expand(first);
            }
            catch (DomainException ex)
            {
                Add(RepeatField, ex.Code, [.. ex.Args]);
            }
        }

        return errors;
    }

    /// <summary>Where a rule's code belongs on the form, for errors the service reports; null when it belongs nowhere in particular.</summary>
    public static string? FieldOfCode(string code) => code switch
    {
        ErrorCodes.Activity.StartInPast => StartField,
        ErrorCodes.Activity.ThemeInvalid or ErrorCodes.Activity.ThemeRequired => ThemesField,
        ErrorCodes.Activity.CapacityBelowSignUps or ErrorCodes.Activity.CapacityInvalid => CapacityField,
        ErrorCodes.Activity.OrgRequired => OrgField,
        ErrorCodes.Activity.CoverTooLarge or ErrorCodes.Activity.CoverWrongType or ErrorCodes.Activity.CoverTooManyPixels => CoverField,
        _ when code.StartsWith("Recurrence.", StringComparison.Ordinal) => RepeatField,
        _ => null,
    };

    private static string FieldOf(string domainField) => domainField switch
    {
        nameof(ActivityDetails.StartUtc) => StartField,
        nameof(ActivityDetails.EndUtc) => EndField,
        nameof(ActivityDetails.SignUpDeadlineUtc) => SignUpDeadlineField,
        nameof(ActivityDetails.CancellationDeadlineUtc) => CancelDeadlineField,
        _ => domainField,
    };

    private static DateTime? Combine(DateTime? date, TimeSpan? time) =>
        date is { } d && time is { } t ? DateTime.SpecifyKind(d.Date + t, DateTimeKind.Unspecified) : null;
}

/// <summary>What the publish / cancel dialog answered.</summary>
public sealed record ActivityActionChoice(string Reason, SeriesScope Scope);
