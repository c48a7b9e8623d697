using System.Globalization;
using DezhiHub.Domain.Weddings;
using DezhiHub.Domain;
using DezhiHub.Web.Features.Activities;
using DezhiHub.Web.Platform.Localization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace DezhiHub.Web.Features.Weddings.Plan;

public sealed partial class WeddingPlanPage
{
    private const int NoteMax = DezhiHub.Domain.Weddings.Booking.NoteMaxLength;
    private const int PartnerMax = DezhiHub.Domain.Weddings.Booking.PartnerNameMaxLength;
    private const int SessionsShown = 6;
    private const int QuickDays = 6;

    /// <summary>The parts in the order the page asks for them.</summary>
    private static readonly WeddingServiceKind[] Order =
    [
        WeddingServiceKind.CeremonyHall, WeddingServiceKind.FolkSteward, WeddingServiceKind.RegistrationAppointment, WeddingServiceKind.CounselingSession,
    ];

    private readonly Dictionary<WeddingServiceKind, PlanChoice> _picks = [];
    private readonly HashSet<int> _expanded = [];

    private bool _loaded;
    private DateOnly _today;
    private IReadOnlyList<ServiceSummary> _halls = [];
    private IReadOnlyList<ServiceSummary> _stewards = [];
    private IReadOnlyList<ServiceSummary> _offices = [];
    private IReadOnlyList<ServiceSummary> _classes = [];

    private DateOnly? _day;
    private DateOnly _dayMin;
    private DateOnly _dayMax;
    private string? _dayError;
    private bool _loadingDay;
    private IReadOnlyList<DateOnly> _weekends = [];
    private IReadOnlyList<ServiceDay> _hallDays = [];
    private IReadOnlyList<ServiceDay> _stewardDays = [];

    private DateOnly? _registrationDay;
    private DateOnly _registrationMin;
    private DateOnly _registrationMax;
    private string? _registrationDayError;
    private bool _loadingRegistration;
    private IReadOnlyList<DateOnly> _workdays = [];
    private IReadOnlyList<ServiceDay> _officeDays = [];

    private IReadOnlyList<ServiceSessions> _sessions = [];

    private string? _partnerName;
    private string? _note;
    private bool _busy;
    private string? _error;
    private string? _notice;
    private PlanFailure? _failure;
    private IReadOnlyList<MyBooking>? _booked;
    private string? _scrollTo;

    [Inject]
    private BookingService Bookings { get; set; } = default!;

    [Inject]
    private WeddingPlanner Planner { get; set; } = default!;

    [Inject]
    private DisplayTime Time { get; set; } = default!;

    [Inject]
    private IScrollManager Scroll { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    /// <summary>One service's slots on one day.</summary>
    private sealed record ServiceDay(ServiceSummary Service, DayAvailability Day);

    /// <summary>A counselling class and its coming sessions (free or full).</summary>
    private sealed record ServiceSessions(ServiceSummary Service, IReadOnlyList<SlotView> Sessions);

    private sealed record LotteryNote(SlotState State, DateTime DeadlineUtc);

    protected override async Task OnInitializedAsync()
    {
        // Reads only: it runs twice on a prerendered page.
        _today = DateOnly.FromDateTime(Time.LocalNow);
        var services = await Bookings.ServicesAsync();
        _halls = [.. services.Where(s => s.Kind == WeddingServiceKind.CeremonyHall)];
        _stewards = [.. services.Where(s => s.Kind == WeddingServiceKind.FolkSteward)];
        _offices = [.. services.Where(s => s.Kind == WeddingServiceKind.RegistrationAppointment)];
        _classes = [.. services.Where(s => s.Kind == WeddingServiceKind.CounselingSession)];

        (_dayMin, _dayMax) = Window(_halls);
        (_registrationMin, _registrationMax) = Window(_offices);
        _weekends = [.. Days(_dayMin, _dayMax).Where(d => d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday).Take(QuickDays)];
        _workdays = [.. Days(_registrationMin, _registrationMax).Where(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)).Take(QuickDays - 1)];
        await LoadSessionsAsync();
        _loaded = true;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_scrollTo is { } selector)
        {
            _scrollTo = null;
            await Scroll.ScrollIntoViewAsync(selector, ScrollBehavior.Auto);
        }
    }

    // ----- Choosing -----

    private Task DayTypedAsync(ChangeEventArgs e) => SetDayAsync(ParseDay(e.Value));

    private async Task SetDayAsync(DateOnly? day)
    {
        _dayError = null;
        if (day is { } d && (d < _dayMin || d > _dayMax))
        {
            _dayError = L["Plan.DayOutOfRange", Day(_dayMin), Day(_dayMax)].Value;
            return;
        }

        _day = day;
        ClearMessages();
        DropPicksOffDay(day);
        await LoadDayAsync();
    }

    private Task RegistrationDayTypedAsync(ChangeEventArgs e) => SetRegistrationDayAsync(ParseDay(e.Value));

    private async Task SetRegistrationDayAsync(DateOnly? day)
    {
        _registrationDayError = null;
        if (day is { } d && (d < _registrationMin || d > _registrationMax))
        {
            _registrationDayError = L["Plan.DayOutOfRange", Day(_registrationMin), Day(_registrationMax)].Value;
            return;
        }

        _registrationDay = day;
        ClearMessages();
        if (_picks.TryGetValue(WeddingServiceKind.RegistrationAppointment, out var registration) && LocalDay(registration.StartUtc) != day)
        {
            _picks.Remove(WeddingServiceKind.RegistrationAppointment);
        }

        await LoadRegistrationAsync();
    }

    /// <summary>A tap on a slot: picks it for its part, or unpicks it when it is the part's pick already.</summary>
    private void Toggle(WeddingServiceKind kind, ServiceSummary service, SlotView slot)
    {
        ClearMessages();
        if (_picks.TryGetValue(kind, out var current) && current.ResourceId == service.Id && current.StartUtc == slot.StartUtc)
        {
            _picks.Remove(kind);
        }
        else if (slot.State == SlotState.Free)
        {
            _picks[kind] = new PlanChoice(kind, service.Id, service.Name, slot.StartUtc, slot.EndUtc);
        }
    }

    private void Remove(WeddingServiceKind kind)
    {
        ClearMessages();
        _picks.Remove(kind);
    }

    private DateTime? Picked(WeddingServiceKind kind, int resourceId) =>
        _picks.TryGetValue(kind, out var pick) && pick.ResourceId == resourceId ? pick.StartUtc : null;

    /// <summary>A counselling session must end before the registration appointment begins.</summary>
    private string? AfterRegistration(SlotView slot) => Late(slot.EndUtc) ? L["Plan.AfterRegistration"].Value : null;

    private string? AfterRegistration(PlanChoice choice) => Late(choice.EndUtc) ? L["Plan.CounselingFirst"].Value : null;

    private bool Late(DateTime counselingEndUtc) =>
        _picks.TryGetValue(WeddingServiceKind.RegistrationAppointment, out var registration) && counselingEndUtc > registration.StartUtc;

    // ----- Booking -----

    private async Task SubmitAsync()
    {
        if (_busy || _picks.Count == 0)
        {
            return;
        }

        ClearMessages();
        if ((_partnerName?.Trim().Length ?? 0) > PartnerMax)
        {
            _error = L["Booking.PartnerNameTooLong", PartnerMax].Value;
            return;
        }

        if ((_note?.Trim().Length ?? 0) > NoteMax)
        {
            _error = L["Booking.NoteTooLong", NoteMax].Value;
            return;
        }

        _busy = true;
        try
        {
            var user = (await AuthenticationState).User;
            var result = await Planner.BookAsync(user, new PlanRequest(
                Part(WeddingServiceKind.CeremonyHall), Part(WeddingServiceKind.FolkSteward), Part(WeddingServiceKind.CounselingSession),
                Part(WeddingServiceKind.RegistrationAppointment), _partnerName, _note));
            if (result.Succeeded)
            {
                var ids = result.BookingIds.ToHashSet();
                _booked = [.. (await Bookings.MineAsync(user)).Where(b => ids.Contains(b.Id)).OrderBy(b => Array.IndexOf(Order, b.Kind))];
                _picks.Clear();
                _scrollTo = "#plan-top";
            }
            else
            {
                _failure = result.Failure;
                _scrollTo = "[data-testid=plan-failure]";

                // Someone else was quicker somewhere: show the slots as they are now.
                await ReloadAsync();
            }
        }
        catch (DomainException ex)
        {
            _error = L.Refusal(ex).Value;
        }
        finally
        {
            _busy = false;
        }
    }

    private PlanPart? Part(WeddingServiceKind kind) => _picks.TryGetValue(kind, out var pick) ? pick.ToPart() : null;

    /// <summary>
    /// Puts an offered alternative in place of the part that failed. A hall on another day moves the wedding day, and the
    /// steward with it when the same steward is free that day.
    /// </summary>
    private async Task UseAlternativeAsync(PlanAlternative alternative)
    {
        if (_failure is not { } failure || _busy)
        {
            return;
        }

        var kind = failure.Part;
        var date = LocalDay(alternative.StartUtc);
        string? stewardNote = null;
        _failure = null;
        switch (kind)
        {
            case WeddingServiceKind.CeremonyHall when date != _day:
                stewardNote = await MoveWeddingDayAsync(date);
                break;
            case WeddingServiceKind.RegistrationAppointment when date != _registrationDay:
                _registrationDay = date;
                await LoadRegistrationAsync();
                break;
        }

        _picks[kind] = new PlanChoice(kind, alternative.ResourceId, alternative.ResourceName, alternative.StartUtc, alternative.EndUtc);
        _notice = L["Plan.Replaced", alternative.ResourceName, Time.FormatSpan(alternative.StartUtc, alternative.EndUtc)].Value
            + (stewardNote is null ? "" : " " + stewardNote);
    }

    /// <summary>Moves the wedding day for a hall alternative; says what became of the steward, if one was chosen.</summary>
    private async Task<string?> MoveWeddingDayAsync(DateOnly date)
    {
        _picks.TryGetValue(WeddingServiceKind.FolkSteward, out var steward);
        _day = date;
        _dayError = null;
        DropPicksOffDay(date);
        await LoadDayAsync();
        if (steward is null)
        {
            return null;
        }

        // The same steward that day, at the same time of day if free, else at any free time.
        var timeOfDay = Time.ToLocal(steward.StartUtc).TimeOfDay;
        var free = _stewardDays.Where(s => s.Service.Id == steward.ResourceId)
            .SelectMany(s => s.Day.Slots).Where(s => s.State == SlotState.Free)
            .OrderBy(s => Time.ToLocal(s.StartUtc).TimeOfDay != timeOfDay).FirstOrDefault();
        if (free is null)
        {
            return L["Plan.StewardDropped", Day(date)].Value;
        }

        _picks[WeddingServiceKind.FolkSteward] = steward with { StartUtc = free.StartUtc, EndUtc = free.EndUtc };
        return L["Plan.StewardMoved", Day(date)].Value;
    }

    // ----- Reading availability -----

    private async Task ReloadAsync()
    {
        await LoadDayAsync();
        await LoadRegistrationAsync();
        await LoadSessionsAsync();
    }

    private async Task LoadDayAsync()
    {
        if (_day is not { } day)
        {
            _hallDays = _stewardDays = [];
            return;
        }

        _loadingDay = true;
        try
        {
            _hallDays = await OnDayAsync(_halls, day);
            _stewardDays = await OnDayAsync(_stewards, day);
        }
        finally
        {
            _loadingDay = false;
        }
    }

    private async Task LoadRegistrationAsync()
    {
        if (_registrationDay is not { } day)
        {
            _officeDays = [];
            return;
        }

        _loadingRegistration = true;
        try
        {
            _officeDays = await OnDayAsync(_offices, day);
        }
        finally
        {
            _loadingRegistration = false;
        }
    }

    /// <summary>Each counselling class's sessions over the coming weeks that are free or full (not past, not closed to booking).</summary>
    private async Task LoadSessionsAsync()
    {
        var sessions = new List<ServiceSessions>();
        foreach (var service in _classes)
        {
            if (await TryAvailabilityAsync(service.Id, _today, BookingService.MaxDays) is { } availability)
            {
                sessions.Add(new ServiceSessions(availability.Service,
                    [.. availability.Days.SelectMany(d => d.Slots).Where(s => s.State is SlotState.Free or SlotState.Full)]));
            }
        }

        _sessions = sessions;
    }

    private async Task<IReadOnlyList<ServiceDay>> OnDayAsync(IReadOnlyList<ServiceSummary> services, DateOnly day)
    {
        var days = new List<ServiceDay>(services.Count);
        foreach (var service in services)
        {
            if (await TryAvailabilityAsync(service.Id, day, 1) is { Days: [var first, ..] } availability)
            {
                days.Add(new ServiceDay(availability.Service, first));
            }
        }

        return days;
    }

    private async Task<Availability?> TryAvailabilityAsync(int resourceId, DateOnly from, int days)
    {
        try
        {
            return await Bookings.AvailabilityAsync(resourceId, from, days);
        }
        catch (DomainException)
        {
            // Retired since the page was opened: it is simply no longer offered.
            return null;
        }
    }

    // ----- Small helpers -----

    /// <summary>The lottery on the day, when the halls' slots say there is one still to be drawn.</summary>
    private static LotteryNote? LotteryOn(IReadOnlyList<ServiceDay> halls) =>
        halls.FirstOrDefault(h => h.Day.LotteryDeadlineUtc is not null) is { } h
            ? new LotteryNote(h.Day.Slots.Any(s => s.State == SlotState.Lottery) ? SlotState.Lottery : SlotState.LotteryPending, h.Day.LotteryDeadlineUtc!.Value)
            : null;

    private void DropPicksOffDay(DateOnly? day)
    {
        foreach (var kind in new[] { WeddingServiceKind.CeremonyHall, WeddingServiceKind.FolkSteward })
        {
            if (_picks.TryGetValue(kind, out var pick) && LocalDay(pick.StartUtc) != day)
            {
                _picks.Remove(kind);
            }
        }
    }

    private void ClearMessages()
    {
        _error = null;
        _notice = null;
        _failure = null;
    }

    private static IReadOnlyList<SlotView> Shown(ServiceSessions sessions) => [.. sessions.Sessions.Take(SessionsShown)];

    /// <summary>The days the services of a kind can be booked on: from the shortest notice to the longest advance.</summary>
    private (DateOnly First, DateOnly Last) Window(IReadOnlyList<ServiceSummary> services) => services.Count == 0
        ? (_today, _today)
        : (_today.AddDays(services.Min(s => s.Rules.MinNoticeDays)), _today.AddDays(services.Max(s => s.Rules.MaxAdvanceDays)));

    private static IEnumerable<DateOnly> Days(DateOnly first, DateOnly last)
    {
        for (var d = first; d <= last; d = d.AddDays(1))
        {
            yield return d;
        }
    }

    private DateOnly LocalDay(DateTime utc) => DateOnly.FromDateTime(Time.ToLocal(utc));

    private string Day(DateOnly date) => DateText.Day(date.ToDateTime(TimeOnly.MinValue), _today.Year);

    private static string? Iso(DateOnly? date) => date is { } d ? DateText.Iso(d) : null;

    private static DateOnly? ParseDay(object? value) =>
        DateText.ParseIso(value as string);
}
