using System.Security.Claims;
using DezhiHub.Domain;
using DezhiHub.Domain.Weddings;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform.Localization;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Weddings;

/// <summary>One part of a wedding plan: a slot of a resource of the part's kind.</summary>
public sealed record PlanPart(int ResourceId, DateTime SlotStartUtc);

/// <summary>
/// A whole wedding in one request: a hall slot, a steward for the same day, a counselling session before the
/// registration appointment, and the appointment. Any part may be left out, not all.
/// </summary>
public sealed record PlanRequest(PlanPart? Hall, PlanPart? Steward, PlanPart? Counseling, PlanPart? Registration, string? PartnerName, string? Note);

/// <summary>A free slot offered instead of a part that could not be booked.</summary>
public sealed record PlanAlternative(int ResourceId, string ResourceName, DateTime StartUtc, DateTime EndUtc);

/// <summary>Why a plan was not booked: the part, the refusal (a resource key and its arguments) and what is free instead.</summary>
public sealed record PlanFailure(WeddingServiceKind Part, string Code, IReadOnlyList<object> Args, IReadOnlyList<PlanAlternative> Alternatives);

public sealed record PlanResult(Guid? PlanId, IReadOnlyList<int> BookingIds, PlanFailure? Failure)
{
    public bool Succeeded => Failure is null;
}

/// <summary>
/// Books a wedding plan all or nothing: every part is placed by the booking engine in one transaction, and the first
/// part refused rolls back all of them, so nothing is held; the resident is told which part failed and offered free
/// slots instead (the same service on other days, other services of that kind on the same day).
/// </summary>
public sealed class WeddingPlanner(IDbContextFactory<AppDbContext> dbFactory, BookingEngine engine, BookingService bookings, DisplayTime time)
{
    private const int AlternativesPerKind = 4;

    public async Task<PlanResult> BookAsync(ClaimsPrincipal user, PlanRequest request, CancellationToken cancellationToken = default)
    {
        var me = user.RequiredUserId();
        var parts = new List<(WeddingServiceKind Kind, PlanPart Part)>();
        void Add(WeddingServiceKind kind, PlanPart? part)
        {
            if (part is not null)
            {
                parts.Add((kind, part));
            }
        }

        Add(WeddingServiceKind.CeremonyHall, request.Hall);
        Add(WeddingServiceKind.FolkSteward, request.Steward);
        Add(WeddingServiceKind.CounselingSession, request.Counseling);
        Add(WeddingServiceKind.RegistrationAppointment, request.Registration);
        if (parts.Count == 0)
        {
            throw new DomainException(ErrorCodes.Plan.Empty);
        }

        // What applies to every part is refused before any part, so no slot alternatives are offered for it.
        if (PersonText.Checked(request.PartnerName).Length > Booking.PartnerNameMaxLength)
        {
            throw new DomainException(ErrorCodes.Booking.PartnerNameTooLong, Booking.PartnerNameMaxLength);
        }

        if (PersonText.CheckedMultiline(request.Note).Length > Booking.NoteMaxLength)
        {
            throw new DomainException(ErrorCodes.Booking.NoteTooLong, Booking.NoteMaxLength);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var resolved = new List<(WeddingServiceKind Kind, WeddingResource Resource, (DateTime StartUtc, DateTime EndUtc) Slot)>();
        foreach (var (kind, part) in parts)
        {
            try
            {
                var resource = await BookingEngine.LiveResourceAsync(db, part.ResourceId, cancellationToken);
                if (resource.Kind != kind)
                {
                    throw new DomainException(ErrorCodes.Wedding.ServiceNotFound);
                }

                var slot = engine.ResolveSlot(resource, part.SlotStartUtc);
                if (await engine.LotteryStateAsync(db, resource, slot, cancellationToken))
                {
                    throw new DomainException(ErrorCodes.Plan.LotteryDate);
                }

                resolved.Add((kind, resource, slot));
            }
            catch (DomainException ex)
            {
                return await FailAsync(db, kind, part, ex, cancellationToken);
            }
        }

        if (Find(WeddingServiceKind.CeremonyHall) is { } hall && Find(WeddingServiceKind.FolkSteward) is { } steward
            && Day(hall.Slot.StartUtc) != Day(steward.Slot.StartUtc))
        {
            return await FailAsync(db, WeddingServiceKind.FolkSteward, request.Steward!, new DomainException(ErrorCodes.Plan.StewardSameDay), cancellationToken, Day(hall.Slot.StartUtc));
        }

        if (Find(WeddingServiceKind.CounselingSession) is { } counseling && Find(WeddingServiceKind.RegistrationAppointment) is { } registration
            && counseling.Slot.EndUtc > registration.Slot.StartUtc)
        {
            return await FailAsync(db, WeddingServiceKind.CounselingSession, request.Counseling!, new DomainException(ErrorCodes.Plan.CounselingFirst), cancellationToken);
        }

        var planId = Guid.NewGuid();
        var ids = new List<int>();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            foreach (var (kind, resource, slot) in resolved)
            {
                try
                {
                    ids.Add((await engine.PlaceAsync(db, user, resource, slot, request.PartnerName, request.Note, planId, lottery: false, cancellationToken)).Id);
                }
                catch (DomainException ex)
                {
                    await transaction.RollbackAsync(cancellationToken);
                    db.ChangeTracker.Clear();
                    return await FailAsync(db, kind, parts.Single(p => p.Kind == kind).Part, ex, cancellationToken);
                }
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return new PlanResult(planId, ids, null);

        (WeddingServiceKind Kind, WeddingResource Resource, (DateTime StartUtc, DateTime EndUtc) Slot)? Find(WeddingServiceKind kind) =>
            resolved.Where(r => r.Kind == kind).Select(r => ((WeddingServiceKind, WeddingResource, (DateTime, DateTime))?)r).FirstOrDefault();
    }

    private DateOnly Day(DateTime utc) => DateOnly.FromDateTime(time.ToLocal(utc));

    /// <summary>
    /// The refusal of one part with free slots instead: the same service in the two weeks from the day asked for, and
    /// other services of the kind on that day (<paramref name="day"/> overrides it, e.g. a steward must match the hall's day).
    /// </summary>
    private async Task<PlanResult> FailAsync(AppDbContext db, WeddingServiceKind kind, PlanPart part, DomainException refusal, CancellationToken cancellationToken, DateOnly? day = null)
    {
        var date = day ?? Day(part.SlotStartUtc);
        var today = DateOnly.FromDateTime(time.LocalNow);
        if (date < today)
        {
            date = today;
        }

        var alternatives = new List<PlanAlternative>();
        if (refusal.Code == ErrorCodes.Booking.HouseholdLimit)
        {
            // Another slot would be refused the same way.
            return new PlanResult(null, [], new PlanFailure(kind, refusal.Code, refusal.Args, alternatives));
        }

        var candidates = await db.WeddingResources.AsNoTracking().Where(r => r.Kind == kind && !r.IsRetired)
            .OrderBy(r => r.Id != part.ResourceId).ThenBy(r => r.Id).Select(r => new { r.Id, r.Name }).Take(20).ToListAsync(cancellationToken);
        foreach (var candidate in candidates)
        {
            var same = candidate.Id == part.ResourceId;
            var availability = await bookings.AvailabilityAsync(candidate.Id, date, same && day is null ? 14 : 1, cancellationToken);
            alternatives.AddRange(availability.Days.SelectMany(d => d.Slots)
                .Where(s => s.State == SlotState.Free && s.StartUtc != part.SlotStartUtc)
                .Take(same ? AlternativesPerKind : 1)
                .Select(s => new PlanAlternative(candidate.Id, candidate.Name, s.StartUtc, s.EndUtc)));
            if (alternatives.Count >= AlternativesPerKind * 2)
            {
                break;
            }
        }

        return new PlanResult(null, [], new PlanFailure(kind, refusal.Code, refusal.Args, alternatives));
    }
}
