using System.Globalization;
using DezhiHub.Domain.Weddings;
using DezhiHub.Domain;
using DezhiHub.Web.Platform.Localization;

namespace DezhiHub.Web.Features.Weddings;

/// <summary>
/// What the wedding service form edits, in the manager's terms: one row of opening hours per weekday, blackout dates as
/// a set, numbers empty while typing. <see cref="Validate"/> asks the domain's rules
/// (<see cref="WeddingResourceDetails.Validate"/>), keyed by the field each concerns.
/// </summary>
public sealed class WeddingResourceFormModel
{
    public const string OrgField = nameof(WeddingResourceDetails.OrgNodeId);
    public const string ProviderField = nameof(WeddingResourceDetails.ProviderUserId);
    public const string HoursField = nameof(WeddingResourceDetails.Hours);
    public const string SessionsField = nameof(WeddingResourceDetails.Sessions);
    public const string BlackoutField = nameof(WeddingResourceDetails.BlackoutDates);

    /// <summary>Every half hour of a day: what the opening-hours pickers offer.</summary>
    public static readonly IReadOnlyList<TimeOnly> HalfHours = [.. Enumerable.Range(0, 48).Select(i => new TimeOnly(i / 2, i % 2 * 30))];

    public WeddingServiceKind Kind { get; init; }

    public string Name { get; set; } = "";

    public string Description { get; set; } = "";

    public string Location { get; set; } = "";

    public int? Seats { get; set; }

    public int? PriceCapYuan { get; set; }

    public string? Counsellor { get; set; }

    /// <summary>The steward's account or the package's Partner; <see cref="Provider"/> says who it is.</summary>
    public int? ProviderUserId { get; set; }

    public ProviderOption? Provider { get; set; }

    public int? OrgNodeId { get; set; }

    /// <summary>Monday first.</summary>
    public IReadOnlyList<DayHours> Days { get; init; } = [.. Enumerable.Range(0, 7).Select(_ => new DayHours())];

    public int? SlotMinutes { get; set; }

    public int? BufferMinutes { get; set; }

    public int? Capacity { get; set; }

    /// <summary>Dated sessions instead of weekly hours (counselling classes).</summary>
    public bool UseSessions { get; set; }

    /// <summary>One session a line, "2026-12-12 09:00-11:30".</summary>
    public string Sessions { get; set; } = "";

    public SortedSet<DateOnly> BlackoutDates { get; init; } = [];

    public int? MinNoticeDays { get; set; }

    public int? MaxAdvanceDays { get; set; }

    public int? HouseholdLimit { get; set; }

    public int? CancelCutoffHours { get; set; }

    public bool RequiresApproval { get; set; }

    public int? ReviewWithinHours { get; set; }

    public bool IsExclusive => Kind.IsExclusive();

    /// <summary>Who confirms requests: a steward (any account, optional) or a package's Partner (required).</summary>
    public bool HasProvider => Kind is WeddingServiceKind.FolkSteward or WeddingServiceKind.AlliancePackage;

    /// <summary>A new service of a kind, with the hours, slot length and rules such services usually have.</summary>
    public static WeddingResourceFormModel New(WeddingServiceKind kind, int? orgNodeId)
    {
        var model = new WeddingResourceFormModel { Kind = kind, OrgNodeId = orgNodeId };
        var everyDay = Enum.GetValues<DayOfWeek>();
        var (hours, slot, buffer, capacity) = kind switch
        {
            // Two half-days with an hour to clean in between.
            WeddingServiceKind.CeremonyHall => (WeeklyHours.Uniform(new(8, 0), new(18, 0), everyDay), 240, 60, 1),
            // Booked by the half-day.
            WeddingServiceKind.FolkSteward => (WeeklyHours.Uniform(new(7, 0), new(19, 0), everyDay), 360, 0, 1),
            WeddingServiceKind.RegistrationAppointment => (WeeklyHours.Uniform(new(8, 30), new(17, 0),
                DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday), 30, 0, 4),
            // A day's service, a few couples a day.
            WeddingServiceKind.AlliancePackage => (WeeklyHours.Uniform(new(9, 0), new(18, 0), everyDay), 540, 0, 2),
            _ => (WeeklyHours.Closed, 120, 0, 30),
        };
        model.SetHours(hours);
        model.SlotMinutes = slot;
        model.BufferMinutes = buffer;
        model.Capacity = capacity;
        model.UseSessions = kind == WeddingServiceKind.CounselingSession;
        model.ApplyRules(BookingRules.DefaultFor(kind));
        return model;
    }

    public static WeddingResourceFormModel From(ResourceEdit edit)
    {
        var d = edit.Details;
        var model = new WeddingResourceFormModel
        {
            Kind = d.Kind,
            Name = d.Name,
            Description = d.Description,
            Location = d.Location,
            Seats = d.Seats,
            PriceCapYuan = d.PriceCapYuan,
            Counsellor = d.Counsellor,
            ProviderUserId = d.ProviderUserId,
            Provider = edit.Provider,
            OrgNodeId = d.OrgNodeId,
            SlotMinutes = d.SlotMinutes,
            BufferMinutes = d.BufferMinutes,
            Capacity = d.Capacity,
            UseSessions = d.Sessions.Length > 0,
            Sessions = d.Sessions,
            BlackoutDates = [.. WeddingResource.ParseDates(d.BlackoutDates)],
        };
        model.SetHours(WeeklyHours.Parse(d.Hours));
        model.ApplyRules(d.Rules);
        return model;
    }

    public void ApplyRules(BookingRules rules)
    {
        MinNoticeDays = rules.MinNoticeDays;
        MaxAdvanceDays = rules.MaxAdvanceDays;
        HouseholdLimit = rules.HouseholdLimit;
        CancelCutoffHours = rules.CancelCutoffHours;
        RequiresApproval = rules.RequiresApproval;
        ReviewWithinHours = rules.ReviewWithinHours;
    }

    /// <summary>"08:30-17:30,…" from the rows; an open day without both times makes the whole text invalid, as it should.</summary>
    public string HoursText() => UseSessions
        ? ",,,,,,"
        : string.Join(',', Days.Select(d => !d.Open ? ""
            : d.From is { } from && d.To is { } to ? $"{DateText.Time(from)}-{DateText.Time(to)}"
            : "?"));

    public WeddingResourceDetails ToDetails() => new()
    {
        Kind = Kind,
        Name = Name ?? "",
        Description = Description ?? "",
        Location = Location ?? "",
        Seats = Kind == WeddingServiceKind.CeremonyHall ? Seats : null,
        PriceCapYuan = Kind == WeddingServiceKind.AlliancePackage ? PriceCapYuan : null,
        Counsellor = Kind == WeddingServiceKind.CounselingSession ? Counsellor : null,
        ProviderUserId = HasProvider ? ProviderUserId : null,
        OrgNodeId = OrgNodeId ?? 0,
        Hours = HoursText(),
        SlotMinutes = SlotMinutes ?? 0,
        BufferMinutes = BufferMinutes ?? -1,
        Capacity = IsExclusive ? 1 : Capacity ?? 0,
        Sessions = UseSessions ? (Sessions ?? "").Trim() : "",
        BlackoutDates = string.Join(',', BlackoutDates.Select(DateText.Iso)),
        Rules = new BookingRules
        {
            MinNoticeDays = MinNoticeDays ?? -1,
            MaxAdvanceDays = MaxAdvanceDays ?? -1,
            HouseholdLimit = HouseholdLimit ?? -1,
            CancelCutoffHours = CancelCutoffHours ?? -1,
            RequiresApproval = RequiresApproval,
            // A service without review never uses the window; keep a valid one rather than refuse a hidden field.
            ReviewWithinHours = RequiresApproval ? ReviewWithinHours ?? -1 : ReviewWithinHours is >= 1 and <= 720 ? ReviewWithinHours.Value : 72,
        },
    };

    /// <summary>Field → (message code, arguments); empty when the form may be saved.</summary>
    public Dictionary<string, (string Code, object[] Args)> Validate()
    {
        var errors = ToDetails().Validate().GroupBy(e => e.Field).ToDictionary(g => g.Key, g => (g.First().Code, Array.Empty<object>()));
        if (OrgNodeId is null)
        {
            errors[OrgField] = ("WeddingCatalog.OrgRequired", []);
        }

        if (UseSessions && string.IsNullOrWhiteSpace(Sessions))
        {
            errors[SessionsField] = ("WeddingCatalog.SessionsRequired", []);
        }

        return errors;
    }

    /// <summary>
    /// The slots residents would see on <paramref name="date"/> with the schedule as it stands (hours, slot length,
    /// buffer, sessions, blackout dates); null while the schedule itself is invalid.
    /// </summary>
    public IReadOnlyList<LocalSlot>? PreviewSlots(DateOnly date) => Preview()?.SlotsOn(date);

    /// <summary>The first date from <paramref name="from"/> on (within a year) that has slots, for the preview.</summary>
    public DateOnly? FirstDayWithSlots(DateOnly from)
    {
        if (Preview() is not { } resource)
        {
            return null;
        }

        for (var date = from; date < from.AddDays(366); date = date.AddDays(1))
        {
            if (resource.SlotsOn(date).Count > 0)
            {
                return date;
            }
        }

        return null;
    }

    /// <summary>The schedule as a resource, with the rest of the details made neutral so only the schedule can fail.</summary>
    private WeddingResource? Preview()
    {
        var details = ToDetails() with
        {
            Name = "preview",
            Description = "",
            Location = "",
            Counsellor = null,
            Seats = null,
            PriceCapYuan = Kind == WeddingServiceKind.AlliancePackage ? 0 : null,
            ProviderUserId = Kind == WeddingServiceKind.AlliancePackage ? 0 : null,
            Capacity = 1,
            Rules = new BookingRules(),
        };
        try
        {
            return WeddingResource.Create(details, "", DateTime.UnixEpoch);
        }
        catch (DomainException)
        {
            return null;
        }
    }

    private void SetHours(WeeklyHours hours)
    {
        for (var i = 0; i < 7; i++)
        {
            var day = Days[i];
            day.Open = hours[i] is not null;
            day.From = hours[i]?.Open;
            day.To = hours[i]?.Close;
        }
    }
}

/// <summary>One weekday's row of opening hours.</summary>
public sealed class DayHours
{
    public bool Open { get; set; }

    public TimeOnly? From { get; set; }

    public TimeOnly? To { get; set; }

    /// <summary>Closed, or open with both times and the close after the open.</summary>
    public bool IsValid => !Open || (From is { } from && To is { } to && to > from);
}
