using System.Globalization;
using System.Security.Claims;
using DezhiHub.Domain.Activities;
using DezhiHub.Domain.Organization;
using DezhiHub.Domain;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Auditing;
using DezhiHub.Web.Features.Notifications;
using DezhiHub.Web.Features.Organization;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Auditing;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web.Platform;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Activities;

/// <summary>
/// Plans and finds activities. Organizers create, edit, publish and cancel activities hosted in their subtree
/// (Admins anywhere); everyone finds published ones. Registrants hear of cancellations and time changes (<see cref="ActivityNotices"/>).
/// </summary>
public sealed class ActivityService(
    IDbContextFactory<AppDbContext> dbFactory,
    OrgAccess access,
    OrgTreeService orgTree,
    AuditTrail audit,
    DisplayTime time,
    TimeProvider clock)
{
    public const string EntityType = "Activity";

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Creates a draft, or a draft series when <paramref name="recurrence"/> is given; returns the ids in date order.</summary>
    public async Task<IReadOnlyList<int>> CreateAsync(ClaimsPrincipal user, ActivityDetails details, RecurrenceRule? recurrence = null, CancellationToken cancellationToken = default)
    {
        var userId = user.RequiredUserId();
        details = details.Checked();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var orgPath = await HostPathAsync(db, user, details.OrgNodeId, cancellationToken);
        await EnsureThemesAsync(db, details.ThemeIds, cancellationToken);
        if (details.StartUtc <= Now)
        {
            throw new DomainException(ErrorCodes.Activity.StartInPast);
        }

        var firstLocal = time.ToLocal(details.StartUtc);
        var starts = recurrence?.Expand(firstLocal) ?? [firstLocal];
        var seriesId = recurrence is null ? (Guid?)null : Guid.NewGuid();
        var activities = starts.Select(local => Activity.Create(Shift(details, time.ToUtc(local) - details.StartUtc), orgPath, userId, Now, seriesId)).ToList();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Activities.AddRange(activities);
        await db.SaveChangesAsync(cancellationToken);
        audit.Record(db, user, "activity.created", EntityType, activities[0].Id.ToString(), details.OrgNodeId, null,
            new { details.Title, Entry = details.Entry.ToString(), Start = details.StartUtc, Occurrences = activities.Count });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return [.. activities.Select(a => a.Id)];
    }

    /// <summary>Changes an activity (or it and the later occurrences of its series, each keeping its own date).</summary>
    public async Task UpdateAsync(ClaimsPrincipal user, int id, ActivityDetails details, SeriesScope scope = SeriesScope.ThisOnly, CancellationToken cancellationToken = default)
    {
        details = details.Checked();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var activity = await LoadManagedAsync(db, user, id, cancellationToken);
        var orgPath = await HostPathAsync(db, user, details.OrgNodeId, cancellationToken);
        await EnsureThemesAsync(db, details.ThemeIds, cancellationToken);
        var delta = details.StartUtc - activity.StartUtc;
        var targets = await SeriesTargetsAsync(db, activity, scope, cancellationToken);

        var before = new { activity.Title, activity.StartUtc, activity.EndUtc, activity.Place, activity.Capacity };
        var moved = new List<Activity>();
        foreach (var target in targets)
        {
            var own = Shift(details, target.StartUtc + delta - details.StartUtc);
            if (target.Update(own, orgPath, Now) && target.Status == ActivityStatus.Published)
            {
                moved.Add(target);
            }
        }

        // Saving the form unchanged is not a change: nothing to store, audit or announce.
        var changed = db.ChangeTracker.Entries().Any(e => e.State is EntityState.Added or EntityState.Deleted
            || (e.State == EntityState.Modified && e.Properties.Any(p => p.IsModified && p.Metadata.Name != nameof(Activity.UpdatedAtUtc))));
        if (!changed)
        {
            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The capacity was checked against the sign-ups read above; sign-ups go on meanwhile. Each occurrence's lock,
        // then the check again against what is committed (decision 0014, rule 7).
        foreach (var target in targets.OrderBy(t => t.Id))
        {
            await LockSql.ActivityAsync(db, target.Id, cancellationToken);
        }

        var targetIds = targets.Select(t => t.Id).ToArray();
        var confirmed = await db.Activities.AsNoTracking().Where(a => targetIds.Contains(a.Id))
            .ToDictionaryAsync(a => a.Id, a => a.ConfirmedCount, cancellationToken);
        if (targets.FirstOrDefault(t => t.Capacity is { } capacity && capacity < confirmed[t.Id]) is { } over)
        {
            throw new DomainException(ErrorCodes.Activity.CapacityBelowSignUps, confirmed[over.Id]);
        }

        // Registrants of the moved occurrences are told by ActivityNotices when this is saved.
        // Reminders already sent were for the old time: the sweep sends them again for the new one.
        var movedIds = moved.Select(a => a.Id).ToArray();
        await db.ActivityReminders.Where(r => movedIds.Contains(r.ActivityId)).ExecuteDeleteAsync(cancellationToken);
        audit.Record(db, user, "activity.updated", EntityType, id.ToString(), details.OrgNodeId, before,
            new { details.Title, details.StartUtc, details.EndUtc, details.Place, details.Capacity, Occurrences = targets.Count });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task PublishAsync(ClaimsPrincipal user, int id, SeriesScope scope = SeriesScope.ThisOnly, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var activity = await LoadManagedAsync(db, user, id, cancellationToken);
        var targets = (await SeriesTargetsAsync(db, activity, scope, cancellationToken)).Where(a => a.Id == id || a.Status == ActivityStatus.Draft).ToList();
        foreach (var target in targets)
        {
            target.Publish(Now);
        }

        audit.Record(db, user, "activity.published", EntityType, id.ToString(), activity.OrgNodeId, null, new { activity.Title, Occurrences = targets.Count });
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task CancelAsync(ClaimsPrincipal user, int id, string reason, SeriesScope scope = SeriesScope.ThisOnly, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var activity = await LoadManagedAsync(db, user, id, cancellationToken);
        var targets = await SeriesTargetsAsync(db, activity, scope, cancellationToken);
        // Read before cancelling: the activity is one of the targets, so afterwards it would say "Cancelled" already.
        var statusBefore = activity.Status.ToString();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Each activity's lock before reading whom to tell (decision 0014, rule 5): a sign-up in flight commits first and
        // is told; a later one finds the activity cancelled.
        foreach (var target in targets.OrderBy(t => t.Id))
        {
            await LockSql.ActivityAsync(db, target.Id, cancellationToken);
        }

        foreach (var target in targets)
        {
            target.Cancel(reason, Now);
        }

        audit.Record(db, user, "activity.cancelled", EntityType, id.ToString(), activity.OrgNodeId, new { Status = statusBefore },
            new { activity.Title, activity.CancelReason, Occurrences = targets.Count });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// The activity as the user may see it: published, completed and cancelled ones for everyone; drafts only for
    /// those who manage the host. Null when it does not exist or may not be seen.
    /// </summary>
    public async Task<ActivityDetail?> GetAsync(ClaimsPrincipal user, int id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var activity = await db.Activities.AsNoTracking().Include(a => a.Themes).FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (activity is null)
        {
            return null;
        }

        var scope = await access.GetScopeAsync(user, cancellationToken);
        var canManage = scope.Contains(activity.OrgPath);
        if (activity.Status == ActivityStatus.Draft && !canManage)
        {
            return null;
        }

        var summary = (await ToListItemsAsync(db, [activity], cancellationToken))[0];
        var waitlistCount = await db.Registrations.CountAsync(r => r.ActivityId == id && r.Status == RegistrationStatus.Waitlisted, cancellationToken);
        var userId = user.UserId();
        var mineRow = userId is null ? null : await db.Registrations.AsNoTracking()
            .Where(r => r.ActivityId == id && r.UserId == userId && r.Status != RegistrationStatus.Cancelled)
            .Select(r => new { r.Status, r.WaitlistNumber }).FirstOrDefaultAsync(cancellationToken);
        var mine = mineRow?.Status;
        // The same order as the sign-up's own answer and the promotions (decision 0013).
        var position = mineRow is { Status: RegistrationStatus.Waitlisted, WaitlistNumber: { } number }
            ? await SignUpService.PlaceInQueue(db, id, number).FirstAsync(cancellationToken)
            : (int?)null;
        return new ActivityDetail(summary, activity.Description, [.. activity.Themes.Select(t => t.ThemeId)], activity.WalkInsAllowed,
            activity.SignUpDeadlineUtc, activity.CancellationDeadlineUtc, activity.CancellationClosesAtUtc, activity.PointsPerHour,
            activity.CheckInOpensMinutesBefore, activity.CancelReason, waitlistCount, mine, position, canManage);
    }

    /// <summary>
    /// Finds activities. The public view lists published, completed and cancelled activities; with
    /// <see cref="ActivityFilter.Managed"/> the caller's own subtree including drafts.
    /// </summary>
    public async Task<Paged<ActivityListItem>> SearchAsync(ClaimsPrincipal user, ActivityFilter filter, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Activities.AsNoTracking();
        if (filter.Managed)
        {
            var scope = await access.GetScopeAsync(user, cancellationToken);
            if (scope.IsNone)
            {
                throw new AccessDeniedException();
            }

            if (!scope.Everywhere)
            {
                var root = scope.RootPath!;
                query = query.Where(a => a.OrgPath.StartsWith(root));
            }
        }
        else
        {
            query = query.Where(a => a.Status != ActivityStatus.Draft);
        }

        if (filter.Status is { } status)
        {
            query = query.Where(a => a.Status == status);
        }

        if (filter.Entry is { } entry)
        {
            query = query.Where(a => a.Entry == entry);
        }

        if (filter.ThemeId is { } themeId)
        {
            query = query.Where(a => a.Themes.Any(t => t.ThemeId == themeId));
        }

        if (filter.OrgNodeId is { } nodeId)
        {
            var path = await db.OrgNodes.Where(n => n.Id == nodeId).Select(n => n.Path).FirstOrDefaultAsync(cancellationToken) ?? "/none/";
            query = query.Where(a => a.OrgPath.StartsWith(path));
        }

        if (filter.FromUtc is { } from)
        {
            query = query.Where(a => a.EndUtc > from);
        }

        if (filter.ToUtc is { } to)
        {
            query = query.Where(a => a.StartUtc < to);
        }

        if (filter.OpenForSignUpOnly)
        {
            var now = Now;
            query = query.Where(a => a.Status == ActivityStatus.Published && a.SignUpRequired
                && (a.SignUpDeadlineUtc ?? a.StartUtc) > now);
        }

        if (!string.IsNullOrWhiteSpace(filter.Text))
        {
            // Any case matches ("tai chi" finds "Tai Chi"), on either engine.
            var text = filter.Text.Trim().ToLowerInvariant();
            query = query.Where(a => a.Title.ToLower().Contains(text) || a.Place.ToLower().Contains(text) || a.Description.ToLower().Contains(text));
        }

        var total = await query.CountAsync(cancellationToken);
        var pageSize = Math.Clamp(filter.PageSize, 1, 500);
        var page = await query.Include(a => a.Themes)
            .OrderBy(a => a.StartUtc).ThenBy(a => a.Id)
            .Skip(Math.Max(0, filter.Page) * pageSize).Take(pageSize)
            .ToListAsync(cancellationToken);
        return new Paged<ActivityListItem>(await ToListItemsAsync(db, page, cancellationToken), total);
    }

    /// <summary>The hosting node's path, once the user is known to manage it and it is active.</summary>
    private async Task<string> HostPathAsync(AppDbContext db, ClaimsPrincipal user, int orgNodeId, CancellationToken cancellationToken)
    {
        var node = await db.OrgNodes.AsNoTracking().Where(n => n.Id == orgNodeId && !n.IsRetired)
            .Select(n => new { n.Path }).FirstOrDefaultAsync(cancellationToken) ?? throw new DomainException(ErrorCodes.Activity.OrgRequired);
        var scope = await access.GetScopeAsync(user, cancellationToken);
        return scope.Contains(node.Path) ? node.Path : throw new AccessDeniedException();
    }

    private async Task<Activity> LoadManagedAsync(AppDbContext db, ClaimsPrincipal user, int id, CancellationToken cancellationToken)
    {
        var activity = await db.Activities.Include(a => a.Themes).FirstOrDefaultAsync(a => a.Id == id, cancellationToken)
            ?? throw new DomainException(ErrorCodes.Activity.NotFound);
        var scope = await access.GetScopeAsync(user, cancellationToken);
        return scope.Contains(activity.OrgPath) ? activity : throw new AccessDeniedException();
    }

    private static async Task<List<Activity>> SeriesTargetsAsync(AppDbContext db, Activity activity, SeriesScope scope, CancellationToken cancellationToken)
    {
        if (scope == SeriesScope.ThisOnly || activity.SeriesId is null)
        {
            return [activity];
        }

        var others = await db.Activities.Include(a => a.Themes)
            .Where(a => a.SeriesId == activity.SeriesId && a.Id != activity.Id && a.StartUtc > activity.StartUtc
                && (a.Status == ActivityStatus.Draft || a.Status == ActivityStatus.Published))
            .OrderBy(a => a.StartUtc).ToListAsync(cancellationToken);
        return [activity, .. others];
    }

    private static async Task EnsureThemesAsync(AppDbContext db, IReadOnlyList<int> themeIds, CancellationToken cancellationToken)
    {
        var found = await db.ActivityThemes.CountAsync(t => themeIds.Contains(t.Id) && !t.IsRetired, cancellationToken);
        if (found != themeIds.Count)
        {
            throw new DomainException(ErrorCodes.Activity.ThemeInvalid);
        }
    }

    /// <summary>The start in notification texts: stored as a time, shown in the reader's language.</summary>
    internal async Task<List<ActivityListItem>> ToListItemsAsync(AppDbContext db, IReadOnlyList<Activity> activities, CancellationToken cancellationToken)
    {
        var themeIds = activities.SelectMany(a => a.Themes.Select(t => t.ThemeId)).Distinct().ToArray();
        var themes = await db.ActivityThemes.AsNoTracking().Where(t => themeIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);
        var hosts = await orgTree.FullNamesAsync(activities.Select(a => a.OrgNodeId), cancellationToken);
        return [.. activities.Select(a => new ActivityListItem(
            a.Id, a.Title, a.Entry, [.. a.Themes.Select(t => themes.GetValueOrDefault(t.ThemeId, "?"))],
            a.OrgNodeId, hosts.GetValueOrDefault(a.OrgNodeId, ""), a.Place, a.StartUtc, a.EndUtc, a.Capacity, a.ConfirmedCount,
            a.Status, a.SignUpRequired, a.SignUpClosesAtUtc, a.CoverImage is not null, a.SeriesId))];
    }

    private static ActivityDetails Shift(ActivityDetails details, TimeSpan by) => by == TimeSpan.Zero ? details : details with
    {
        StartUtc = details.StartUtc + by,
        EndUtc = details.EndUtc + by,
        SignUpDeadlineUtc = details.SignUpDeadlineUtc + by,
        CancellationDeadlineUtc = details.CancellationDeadlineUtc + by,
    };
}
