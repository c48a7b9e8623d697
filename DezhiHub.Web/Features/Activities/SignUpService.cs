using System.Globalization;
using System.Security.Claims;
using System.Text;
using DezhiHub.Domain.Accounts;
using DezhiHub.Domain.Activities;
using DezhiHub.Domain;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Auditing;
using DezhiHub.Web.Features.Organization;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Files;
using DezhiHub.Web.Platform.Identity;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Activities;

/// <summary>
/// Sign-ups (报名) and the waitlist (候补). Capacity is a counter guarded in SQL, claimed in the sign-up's own
/// transaction, so parallel sign-ups for the last seat never overfill an activity on any database.
/// </summary>
public sealed class SignUpService(
    IDbContextFactory<AppDbContext> dbFactory,
    OrgAccess access,
    OrgTreeService orgTree,
    ActivityService activities,
    TimeProvider clock)
{
    /// <summary>The audit log's entity type for sign-ups; their id is "activityId/userId".</summary>
    public const string RegistrationEntity = "Registration";

    private static readonly string[] RosterHeaderKeys = ["Roster.Name", "Roster.Phone", "Roster.Org", "Roster.Status", "Roster.SignedUpAt"];

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>
    /// Signs the user up, or puts them on the waitlist with the next number of the activity's counter. The place
    /// returned is counted inside the same transaction, while the activity's row is locked, so it is true at the
    /// moment of commit and no two people are told the same place (decision 0013).
    /// </summary>
    public async Task<SignUpResult> SignUpAsync(ClaimsPrincipal user, int activityId, CancellationToken cancellationToken = default)
    {
        var userId = user.RequiredUserId();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The person lock, then the activity lock (decision 0014, rules 3–5); everything below is read after both, so
        // it sees whatever this person's other sign-ups and this activity's other writers committed meanwhile: the
        // same person signing up for two overlapping activities at once gets one of them, a double tap renewing a
        // cancelled sign-up claims one seat, and a sign-up cannot land in an activity cancelled or closed a moment ago.
        await LockSql.PersonAsync(db, userId, cancellationToken);
        await LockSql.ActivityAsync(db, activityId, cancellationToken);
        var activity = await db.Activities.AsNoTracking().FirstOrDefaultAsync(a => a.Id == activityId, cancellationToken)
            ?? throw new DomainException(ErrorCodes.Activity.NotFound);
        activity.EnsureOpenForSignUp(Now);

        // A person cannot be in two places at once.
        var clash = await (
            from r in db.Registrations
            join a in db.Activities on r.ActivityId equals a.Id
            where r.UserId == userId && r.Status != RegistrationStatus.Cancelled && a.Id != activityId
                && a.Status == ActivityStatus.Published && a.StartUtc < activity.EndUtc && activity.StartUtc < a.EndUtc
            select a.Title).FirstOrDefaultAsync(cancellationToken);
        if (clash is not null)
        {
            throw new DomainException(ErrorCodes.SignUp.Overlap, clash);
        }

        var registration = await db.Registrations.FirstOrDefaultAsync(r => r.ActivityId == activityId && r.UserId == userId, cancellationToken);
        if (registration is { IsActive: true })
        {
            throw new DomainException(ErrorCodes.SignUp.Already);
        }

        var confirmed = await ClaimSeatAsync(db, activityId, cancellationToken);
        var number = confirmed ? (int?)null : await IssueWaitlistNumberAsync(db, activityId, cancellationToken);
        // Stamped while the activity's row is locked, so the times on the roster agree with the queue's order.
        var now = Now;
        if (registration is null)
        {
            db.Registrations.Add(Registration.SignUp(activityId, userId, confirmed, now, number));
        }
        else
        {
            registration.Renew(confirmed, now, number);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // The same person's double tap: the other request already holds the sign-up (and the seat).
            await transaction.RollbackAsync(cancellationToken);
            throw new DomainException(ErrorCodes.SignUp.Already);
        }

        var position = number is { } n ? await PlaceInQueue(db, activityId, n).FirstAsync(cancellationToken) : (int?)null;
        await transaction.CommitAsync(cancellationToken);
        return new SignUpResult(confirmed ? SignUpOutcome.Confirmed : SignUpOutcome.Waitlisted, position);
    }

    /// <summary>Cancels the user's sign-up; a freed seat goes to the first person waiting, who is told.</summary>
    public async Task CancelAsync(ClaimsPrincipal user, int activityId, CancellationToken cancellationToken = default)
    {
        var userId = user.RequiredUserId();
        var now = Now;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The activity lock before reading the sign-up (decision 0014, rule 6): a double cancel frees one seat, a person
        // promoted at this moment is seen as confirmed, and a place counted by a sign-up at the same moment (decision
        // 0013) never includes someone who is gone by its commit.
        await LockSql.ActivityAsync(db, activityId, cancellationToken);
        var registration = await db.Registrations.FirstOrDefaultAsync(r => r.ActivityId == activityId && r.UserId == userId, cancellationToken);
        if (registration is not { IsActive: true })
        {
            throw new DomainException(ErrorCodes.SignUp.NotSignedUp);
        }

        var activity = await db.Activities.AsNoTracking().FirstAsync(a => a.Id == activityId, cancellationToken);
        activity.EnsureCancellable(now);

        var freed = registration.Cancel(now);
        if (freed)
        {
            await db.SaveChangesAsync(cancellationToken);
            await db.Activities.Where(a => a.Id == activityId && a.ConfirmedCount > 0)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.ConfirmedCount, a => a.ConfirmedCount - 1), cancellationToken);
            if (activity.Status == ActivityStatus.Published && activity.StartUtc > now)
            {
                await PromoteNextAsync(db, activity, now, cancellationToken);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Who signed up and who waits, for those who manage the host.</summary>
    public async Task<IReadOnlyList<RosterEntry>> RosterAsync(ClaimsPrincipal user, int activityId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var orgPath = await db.Activities.Where(a => a.Id == activityId).Select(a => a.OrgPath).FirstOrDefaultAsync(cancellationToken)
            ?? throw new DomainException(ErrorCodes.Activity.NotFound);
        if (!(await access.GetScopeAsync(user, cancellationToken)).Contains(orgPath))
        {
            throw new AccessDeniedException();
        }

        var rows = await (
            from r in db.Registrations.AsNoTracking()
            join u in db.Users.AsNoTracking() on r.UserId equals u.Id
            where r.ActivityId == activityId && r.Status != RegistrationStatus.Cancelled
            orderby r.Status, r.Status == RegistrationStatus.Waitlisted ? r.WaitlistNumber : null, r.SignedUpAtUtc, r.Id
            select new { r.UserId, u.RealName, u.PhoneNumber, u.OrgNodeId, r.Status, r.SignedUpAtUtc }).ToListAsync(cancellationToken);
        var orgNames = await orgTree.FullNamesAsync(rows.Select(r => r.OrgNodeId).OfType<int>(), cancellationToken);
        var fullPhone = user.IsAdmin();
        var position = 0;
        return [.. rows.Select(r => new RosterEntry(
            r.UserId,
            r.RealName,
            fullPhone ? r.PhoneNumber ?? "" : MainlandMobile.Mask(r.PhoneNumber ?? ""),
            r.OrgNodeId is { } o ? orgNames.GetValueOrDefault(o) : null,
            r.Status,
            r.SignedUpAtUtc,
            r.Status == RegistrationStatus.Waitlisted ? ++position : null))];
    }

    /// <summary>The roster as CSV (UTF-8 with BOM so spreadsheet programs read the Chinese right).</summary>
    public static string RosterCsv(IReadOnlyList<RosterEntry> roster, Func<string, string> localize, Func<DateTime, string> formatTime)
    {
        var csv = new StringBuilder();
        csv.AppendLine(Csv.Row(RosterHeaderKeys.Select(localize)));
        foreach (var entry in roster)
        {
            csv.AppendLine(Csv.Row([
                entry.RealName,
                entry.Phone,
                entry.OrgName ?? "",
                localize($"RegistrationStatus.{entry.Status}") + (entry.WaitlistPosition is { } p ? $" #{p.ToString(CultureInfo.InvariantCulture)}" : ""),
                formatTime(entry.SignedUpAtUtc)]));
        }

        return csv.ToString();
    }

    /// <summary>The user's active sign-ups: upcoming first, then the past ones.</summary>
    public async Task<IReadOnlyList<MyActivity>> MineAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var userId = user.RequiredUserId();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var registrations = await db.Registrations.AsNoTracking()
            .Where(r => r.UserId == userId && r.Status != RegistrationStatus.Cancelled)
            .ToListAsync(cancellationToken);
        var ids = registrations.Select(r => r.ActivityId).ToArray();
        var list = await db.Activities.AsNoTracking().Include(a => a.Themes).Where(a => ids.Contains(a.Id)).ToListAsync(cancellationToken);
        var items = await activities.ToListItemsAsync(db, list, cancellationToken);
        var positions = await WaitlistPositionsAsync(db, registrations.Where(r => r.Status == RegistrationStatus.Waitlisted).ToList(), cancellationToken);
        var now = Now;
        return [.. items
            .Select(i => new MyActivity(i, registrations.First(r => r.ActivityId == i.Id).Status, positions.GetValueOrDefault(i.Id)))
            .OrderBy(m => m.Activity.EndUtc < now).ThenBy(m => m.Activity.EndUtc < now ? -m.Activity.StartUtc.Ticks : m.Activity.StartUtc.Ticks)];
    }

    /// <summary>Takes a seat if one is free: one guarded UPDATE, so two requests cannot take the last seat twice.</summary>
    private static async Task<bool> ClaimSeatAsync(AppDbContext db, int activityId, CancellationToken cancellationToken) =>
        await db.Activities
            .Where(a => a.Id == activityId).Where(Activity.HasPlaceLeft)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.ConfirmedCount, a => a.ConfirmedCount + 1), cancellationToken) == 1;

    /// <summary>
    /// The activity's next waitlist number. The UPDATE locks the activity's row until commit (SQLite's writer lock,
    /// PostgreSQL's row lock under READ COMMITTED), so the read that follows sees this transaction's own number and
    /// no other; the unique index (activity, number) backs it up.
    /// </summary>
    private static async Task<int> IssueWaitlistNumberAsync(AppDbContext db, int activityId, CancellationToken cancellationToken)
    {
        await db.Activities.Where(a => a.Id == activityId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.WaitlistIssued, a => a.WaitlistIssued + 1), cancellationToken);
        return await db.Activities.Where(a => a.Id == activityId).Select(a => a.WaitlistIssued).SingleAsync(cancellationToken);
    }

    /// <summary>The place in the queue of waitlist number <paramref name="number"/>: 1 + the people waiting ahead of it.</summary>
    internal static IQueryable<int> PlaceInQueue(AppDbContext db, int activityId, int number) =>
        db.Activities.Where(a => a.Id == activityId).Select(a => db.Registrations.Count(o =>
            o.ActivityId == activityId && o.Status == RegistrationStatus.Waitlisted && o.WaitlistNumber < number) + 1);

    private static async Task PromoteNextAsync(AppDbContext db, Activity activity, DateTime now, CancellationToken cancellationToken)
    {
        var next = await db.Registrations
            .Where(r => r.ActivityId == activity.Id && r.Status == RegistrationStatus.Waitlisted)
            .OrderBy(r => r.WaitlistNumber)
            .FirstOrDefaultAsync(cancellationToken);
        if (next is null || !await ClaimSeatAsync(db, activity.Id, cancellationToken))
        {
            return;
        }

        next.Promote(now);
    }

    /// <summary>Each waiting registration's place in its activity's queue (1 = next), in one statement.</summary>
    private static async Task<Dictionary<int, int?>> WaitlistPositionsAsync(AppDbContext db, List<Registration> waiting, CancellationToken cancellationToken)
    {
        var ids = waiting.Select(r => r.Id).ToList();
        return await db.Registrations.AsNoTracking()
            .Where(r => ids.Contains(r.Id))
            .Select(r => new
            {
                r.ActivityId,
                Position = db.Registrations.Count(o => o.ActivityId == r.ActivityId && o.Status == RegistrationStatus.Waitlisted
                    && o.WaitlistNumber < r.WaitlistNumber) + 1,
            })
            .ToDictionaryAsync(x => x.ActivityId, x => (int?)x.Position, cancellationToken);
    }
}
