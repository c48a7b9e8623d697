using System.Globalization;

namespace DezhiHub.Domain.Weddings;

/// <summary>A slot of a resource in local (deployment-zone) time.</summary>
public readonly record struct LocalSlot(DateTime Start, DateTime End);

/// <summary>
/// Something a resident books for a wedding: a ceremony hall, a folk steward, the registration hall, a partner's
/// package or a counselling class. It belongs to an org node; its slots come from weekly opening hours cut into
/// <see cref="SlotMinutes"/> pieces with <see cref="BufferMinutes"/> between them (or from a list of dated sessions),
/// minus blackout dates. Exclusive kinds take one couple per slot, the others <see cref="Capacity"/>.
/// </summary>
public sealed class WeddingResource
{
    public const int NameMaxLength = 60;
    public const int TextMaxLength = 1000;
    public const int LineMaxLength = 120;
    public const int DatesMaxLength = 4000;

    /// <summary>At most this many photos per service.</summary>
    public const int MaxPhotos = 4;

    /// <summary>The longest stored photo file name ("12-0a1b2c3d4e5f.webp" and the like).</summary>
    public const int PhotoFileMaxLength = 40;

    /// <summary>Claims on exclusive resources are made per half hour, so overlapping bookings always share a unit.</summary>
    public const int ClaimUnitMinutes = 30;

    private WeddingResource()
    {
    }

    public int Id { get; private set; }

    public WeddingServiceKind Kind { get; private set; }

    public string Name { get; private set; } = "";

    public string Description { get; private set; } = "";

    /// <summary>Where: a hall's or office's address, a steward's service area.</summary>
    public string Location { get; private set; } = "";

    /// <summary>A hall's seats.</summary>
    public int? Seats { get; private set; }

    /// <summary>A package's price cap in yuan.</summary>
    public int? PriceCapYuan { get; private set; }

    /// <summary>A counselling class's counsellor.</summary>
    public string? Counsellor { get; private set; }

    /// <summary>The account that confirms requests: a steward or the Partner offering a package; null = the org's organizers.</summary>
    public int? ProviderUserId { get; private set; }

    public int OrgNodeId { get; private set; }

    public string OrgPath { get; private set; } = "";

    public WeeklyHours Hours { get; private set; } = WeeklyHours.Closed;

    public int SlotMinutes { get; private set; }

    public int BufferMinutes { get; private set; }

    /// <summary>Couples per slot (1 for exclusive kinds).</summary>
    public int Capacity { get; private set; }

    /// <summary>Dated sessions in local time, earliest first; when there are any they replace the weekly hours.</summary>
    public IReadOnlyList<LocalSlot> Sessions { get; private set; } = [];

    /// <summary>Closed dates, earliest first.</summary>
    public IReadOnlyList<DateOnly> BlackoutDates { get; private set; } = [];

    public BookingRules Rules { get; private set; } = new();

    public bool IsRetired { get; private set; }

    /// <summary>The photos' stored file names in the order shown; at most <see cref="MaxPhotos"/>.</summary>
    public IReadOnlyList<string> Photos { get; private set; } = [];

    public DateTime CreatedAtUtc { get; private set; }

    public bool IsExclusive => Kind.IsExclusive();

    public static WeddingResource Create(WeddingResourceDetails details, string orgPath, DateTime nowUtc)
    {
        var resource = new WeddingResource { Kind = details.Kind, CreatedAtUtc = nowUtc };
        resource.Update(details, orgPath);
        return resource;
    }

    public void Update(WeddingResourceDetails details, string orgPath)
    {
        var errors = details.Validate();
        if (errors.Count > 0)
        {
            throw new DomainException(errors[0].Code);
        }

        if (details.Kind != Kind)
        {
            throw new DomainException(ErrorCodes.Wedding.KindFixed);
        }

        Name = PersonText.Checked(details.Name);
        Description = PersonText.CheckedMultiline(details.Description);
        Location = PersonText.Checked(details.Location);
        Seats = details.Seats;
        PriceCapYuan = details.PriceCapYuan;
        Counsellor = PersonText.Checked(details.Counsellor) is { Length: > 0 } counsellor ? counsellor : null;
        ProviderUserId = details.ProviderUserId;
        OrgNodeId = details.OrgNodeId;
        OrgPath = orgPath;
        Hours = WeeklyHours.Parse(details.Hours);
        SlotMinutes = details.SlotMinutes;
        BufferMinutes = details.BufferMinutes;
        Capacity = Kind.IsExclusive() ? 1 : details.Capacity;
        Sessions = ParseSessions(details.Sessions);
        BlackoutDates = [.. ParseDates(details.BlackoutDates)];
        Rules = details.Rules;
    }

    public void Retire() => IsRetired = true;

    /// <summary>Adds a photo after the others; a fifth is refused (ErrorCodes.Wedding.TooManyPhotos).</summary>
    public void AddPhoto(string file)
    {
        if (string.IsNullOrWhiteSpace(file) || Path.GetFileName(file) != file || file.Length > PhotoFileMaxLength)
        {
            throw new DomainException(ErrorCodes.Wedding.PhotoInvalid);
        }

        if (Photos.Count >= MaxPhotos)
        {
            throw new DomainException(ErrorCodes.Wedding.TooManyPhotos, MaxPhotos);
        }

        Photos = [.. Photos, file];
    }

    /// <summary>Takes a photo off the service; false when it had no such photo.</summary>
    public bool RemovePhoto(string file)
    {
        if (!Photos.Contains(file))
        {
            return false;
        }

        Photos = [.. Photos.Where(f => f != file)];
        return true;
    }

    public WeddingResourceDetails ToDetails() => new()
    {
        Kind = Kind,
        Name = Name,
        Description = Description,
        Location = Location,
        Seats = Seats,
        PriceCapYuan = PriceCapYuan,
        Counsellor = Counsellor,
        ProviderUserId = ProviderUserId,
        OrgNodeId = OrgNodeId,
        Hours = Hours.ToString(),
        SlotMinutes = SlotMinutes,
        BufferMinutes = BufferMinutes,
        Capacity = Capacity,
        Sessions = FormatSessions(Sessions),
        BlackoutDates = FormatDates(BlackoutDates),
        Rules = Rules,
    };

    public bool IsBlackedOut(DateOnly date) => BlackoutDates.Contains(date);

    /// <summary>The bookable slots of a local date (none on a blackout date), earliest first.</summary>
    public IReadOnlyList<LocalSlot> SlotsOn(DateOnly date)
    {
        if (IsBlackedOut(date))
        {
            return [];
        }

        if (Sessions.Count > 0)
        {
            return [.. Sessions.Where(s => DateOnly.FromDateTime(s.Start) == date)];
        }

        if (Hours.On(date.DayOfWeek) is not { } hours)
        {
            return [];
        }

        var slots = new List<LocalSlot>();
        var start = date.ToDateTime(hours.Open);
        var close = date.ToDateTime(hours.Close);
        while (start.AddMinutes(SlotMinutes) <= close)
        {
            slots.Add(new LocalSlot(start, start.AddMinutes(SlotMinutes)));
            start = start.AddMinutes(SlotMinutes + BufferMinutes);
        }

        return slots;
    }

    /// <summary>The slot of that date starting exactly at <paramref name="startLocal"/>, if there is one.</summary>
    public LocalSlot? SlotAt(DateTime startLocal)
    {
        foreach (var slot in SlotsOn(DateOnly.FromDateTime(startLocal)))
        {
            if (slot.Start == startLocal)
            {
                return slot;
            }
        }

        return null;
    }

    /// <summary>
    /// The half-hour units an exclusive booking claims: every unit touched by the slot and the cleaning buffer after
    /// it. Two bookings whose times (with buffers) overlap always share a unit, whatever the slot grid was when each
    /// was made, so the unique (resource, unit) index refuses the second.
    /// </summary>
    public IReadOnlyList<DateTime> ClaimUnits(DateTime startUtc, DateTime endUtc)
    {
        var unit = TimeSpan.FromMinutes(ClaimUnitMinutes);
        var first = new DateTime(startUtc.Ticks - (startUtc.Ticks % unit.Ticks), DateTimeKind.Utc);
        var end = endUtc.AddMinutes(BufferMinutes);
        var units = new List<DateTime>();
        for (var t = first; t < end; t += unit)
        {
            units.Add(t);
        }

        return units;
    }

    public static IReadOnlySet<DateOnly> ParseDates(string? text)
    {
        var dates = new SortedSet<DateOnly>();
        foreach (var part in (text ?? "").Split([',', '\n', ' ', '，', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!DateOnly.TryParseExact(part, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                throw new DomainException(ErrorCodes.Wedding.DatesInvalid, part);
            }

            dates.Add(date);
        }

        return dates;
    }

    public static IReadOnlyList<LocalSlot> ParseSessions(string? text)
    {
        var sessions = new List<LocalSlot>();
        foreach (var line in (text ?? "").Split(['\n', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var times = parts.Length == 2 ? parts[1].Split('-') : [];
            if (times.Length != 2
                || !DateOnly.TryParseExact(parts[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                || !TimeOnly.TryParseExact(times[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
                || !TimeOnly.TryParseExact(times[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to)
                || to <= from)
            {
                throw new DomainException(ErrorCodes.Wedding.SessionsInvalid, line);
            }

            sessions.Add(new LocalSlot(date.ToDateTime(from), date.ToDateTime(to)));
        }

        return [.. sessions.Distinct().OrderBy(s => s.Start)];
    }

    /// <summary>Sessions as a manager writes them: "yyyy-MM-dd HH:mm-HH:mm", one per line.</summary>
    public static string FormatSessions(IEnumerable<LocalSlot> sessions) =>
        string.Join('\n', sessions.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Start:yyyy-MM-dd HH:mm}-{s.End:HH:mm}")));

    /// <summary>Dates as a manager writes them: "yyyy-MM-dd", comma-separated.</summary>
    public static string FormatDates(IEnumerable<DateOnly> dates) =>
        string.Join(',', dates.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
}

/// <summary>What an Admin or Organizer fills in for a resource.</summary>
public sealed record WeddingResourceDetails
{
    public WeddingServiceKind Kind { get; init; }

    public string Name { get; init; } = "";

    public string Description { get; init; } = "";

    public string Location { get; init; } = "";

    public int? Seats { get; init; }

    public int? PriceCapYuan { get; init; }

    public string? Counsellor { get; init; }

    public int? ProviderUserId { get; init; }

    public int OrgNodeId { get; init; }

    public string Hours { get; init; } = "";

    public int SlotMinutes { get; init; } = 240;

    public int BufferMinutes { get; init; }

    public int Capacity { get; init; } = 1;

    public string Sessions { get; init; } = "";

    public string BlackoutDates { get; init; } = "";

    public BookingRules Rules { get; init; } = new();

    public IReadOnlyList<(string Field, string Code)> Validate()
    {
        var errors = new List<(string, string)>();
        foreach (var (field, text) in new[] { (nameof(Name), Name), (nameof(Description), Description), (nameof(Location), Location), (nameof(Counsellor), Counsellor) })
        {
            if (PersonText.HasDirectionControl(text))
            {
                errors.Add((field, PersonText.DirectionControlCode));
            }
        }

        if (!PersonText.HasDirectionControl(Name) && PersonText.Clean(Name).Length is 0 or > WeddingResource.NameMaxLength)
        {
            errors.Add((nameof(Name), ErrorCodes.Wedding.NameInvalid));
        }

        if (!PersonText.HasDirectionControl(Description) && PersonText.CheckedMultiline(Description).Length > WeddingResource.TextMaxLength)
        {
            errors.Add((nameof(Description), ErrorCodes.Wedding.DescriptionTooLong));
        }

        if (PersonText.Clean(Location).Length > WeddingResource.LineMaxLength)
        {
            errors.Add((nameof(Location), ErrorCodes.Wedding.LineTooLong));
        }

        if (PersonText.Clean(Counsellor).Length > WeddingResource.NameMaxLength)
        {
            errors.Add((nameof(Counsellor), ErrorCodes.Wedding.LineTooLong));
        }

        if (Seats is < 1 or > 100_000)
        {
            errors.Add((nameof(Seats), ErrorCodes.Wedding.SeatsInvalid));
        }

        if (PriceCapYuan is < 0 or > 10_000_000 || (Kind == WeddingServiceKind.AlliancePackage && PriceCapYuan is null))
        {
            errors.Add((nameof(PriceCapYuan), ErrorCodes.Wedding.PriceCapInvalid));
        }

        if (Kind == WeddingServiceKind.AlliancePackage && ProviderUserId is null)
        {
            errors.Add((nameof(ProviderUserId), ErrorCodes.Wedding.PartnerRequired));
        }

        if (!WeeklyHours.TryParse(Hours, out _))
        {
            errors.Add((nameof(Hours), ErrorCodes.Wedding.HoursInvalid));
        }

        if (SlotMinutes is < WeddingResource.ClaimUnitMinutes or > 24 * 60 || SlotMinutes % WeddingResource.ClaimUnitMinutes != 0)
        {
            errors.Add((nameof(SlotMinutes), ErrorCodes.Wedding.SlotLengthInvalid));
        }

        if (BufferMinutes is < 0 or > 480 || BufferMinutes % WeddingResource.ClaimUnitMinutes != 0)
        {
            errors.Add((nameof(BufferMinutes), ErrorCodes.Wedding.BufferInvalid));
        }

        if (!Kind.IsExclusive() && Capacity is < 1 or > 10_000)
        {
            errors.Add((nameof(Capacity), ErrorCodes.Wedding.CapacityInvalid));
        }

        if (Sessions.Length > WeddingResource.DatesMaxLength || !Parses(() => WeddingResource.ParseSessions(Sessions)))
        {
            errors.Add((nameof(Sessions), ErrorCodes.Wedding.SessionsInvalid));
        }

        if (BlackoutDates.Length > WeddingResource.DatesMaxLength || !Parses(() => WeddingResource.ParseDates(BlackoutDates)))
        {
            errors.Add((nameof(BlackoutDates), ErrorCodes.Wedding.DatesInvalid));
        }

        errors.AddRange(Rules.Validate());
        return errors;
    }

    private static bool Parses(Action parse)
    {
        try
        {
            parse();
            return true;
        }
        catch (DomainException)
        {
            return false;
        }
    }
}
