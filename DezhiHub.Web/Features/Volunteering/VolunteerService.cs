using System.Globalization;
using System.Security.Claims;
using DezhiHub.Domain.Accounts;
using DezhiHub.Domain.Notifications;
using DezhiHub.Domain.Volunteering;
using DezhiHub.Domain;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Auditing;
using DezhiHub.Web.Features.Organization;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Auditing;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DezhiHub.Web.Features.Volunteering;

/// <summary>A volunteer's summary: profile, totals, star level and balance.</summary>
public sealed record VolunteerSummary(
    int UserId,
    string RealName,
    string Phone,
    string? OrgName,
    bool IsVolunteer,
    string Skills,
    string? IdLast4,
    long TotalMinutes,
    int StarLevel,
    double? HoursToNextStar,
    int PointsBalance,
    int PointsEarned);

public sealed record PointsLine(long Id, DateTime AtUtc, PointsKind Kind, int Delta, int BalanceAfter, string SourceKey, string? ActivityTitle, string? Reason, string? ActorName);

public sealed record HoursLine(long Id, DateTime AtUtc, HoursKind Kind, int Minutes, string SourceKey, string? ActivityTitle, string? Reason, string? ActorName);

public sealed record AwardView(int Id, int UserId, string VolunteerName, int Points, string Reason, AwardStatus Status, string RequestedBy, DateTime RequestedAtUtc, bool CanDecide);

/// <summary>
/// Volunteer profiles, their ledgers as the volunteer and the organizer see them, and the organizer's points actions:
/// awards (above <see cref="PointsOptions.AwardApprovalAbove"/> with a second organizer's approval), reversals and
/// hours corrections — each a new ledger entry with a reason and the acting organizer, audited. Organizers act on
/// people of their own subtree.
/// </summary>
public sealed class VolunteerService(
    IDbContextFactory<AppDbContext> dbFactory,
    OrgAccess access,
    AuditTrail audit,
    Ledger ledger,
    TimeProvider clock,
    IOptions<PointsOptions> options)
{
    /// <summary>The signed-in person's summary (a resident who has not completed the profile gets IsVolunteer false).</summary>
    public async Task<VolunteerSummary> MineAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default) =>
        await SummaryAsync(user.RequiredUserId(), cancellationToken) ?? throw new AccessDeniedException();

    /// <summary>Someone's summary for an organizer of their area.</summary>
    public async Task<VolunteerSummary> SummaryForAsync(ClaimsPrincipal organizer, int userId, CancellationToken cancellationToken = default)
    {
        await EnsureManagesAsync(organizer, userId, cancellationToken);
        return await SummaryAsync(userId, cancellationToken) ?? throw new DomainException(ErrorCodes.Volunteer.NotFound);
    }

    /// <summary>Completes or edits the signed-in person's volunteer profile; the first time also gives them the Volunteer role.</summary>
    public async Task CompleteProfileAsync(ClaimsPrincipal user, string? skills, string? idLast4, CancellationToken cancellationToken = default)
    {
        var userId = user.RequiredUserId();
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var person = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.RealName, u.OrgNodeId }).FirstOrDefaultAsync(cancellationToken)
            ?? throw new AccessDeniedException();
        if (string.IsNullOrWhiteSpace(person.RealName) || person.OrgNodeId is null)
        {
            throw new DomainException(ErrorCodes.Volunteer.AccountIncomplete);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (first, before, after) = await CompleteInAsync(db, userId, skills, idLast4, now, cancellationToken);
        audit.Record(db, user, first ? "volunteer.joined" : "volunteer.profile-changed", "User", userId.ToString(CultureInfo.InvariantCulture), person.OrgNodeId,
            first ? null : before, after);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// The profile part of <see cref="CompleteProfileAsync"/>, inside the caller's transaction (the demo seeding uses it
    /// too): the ledger account row if need be, the profile, and the first time the Volunteer role. Returns whether it
    /// was the first time, and the profile before and after as the audit log keeps them (the ID digits masked).
    /// </summary>
    internal static async Task<(bool First, object Before, object After)> CompleteInAsync(
        AppDbContext db, int userId, string? skills, string? idLast4, DateTime nowUtc, CancellationToken cancellationToken)
    {
        // The profile row's lock before reading it (decision 0014, rule 23): of two completions at once, one joins.
        await LockSql.LedgerAsync(db, userId, nowUtc, cancellationToken);
        var profile = await db.VolunteerProfiles.SingleAsync(p => p.UserId == userId, cancellationToken);
        var first = profile.CompletedAtUtc is null;
        var before = new { profile.Skills, IdLast4 = profile.IdLast4 is null ? null : "****" };
        profile.Complete(skills, idLast4, nowUtc);
        if (first)
        {
            // Written directly, without changing the security stamp: a stamp change would sign the person out. Volunteer
            // pages ask the profile, not the role claim, which arrives with the next sign-in.
            var roleId = await db.Roles.Where(r => r.Name == Roles.Volunteer).Select(r => r.Id).SingleAsync(cancellationToken);
            if (!await db.UserRoles.AnyAsync(r => r.UserId == userId && r.RoleId == roleId, cancellationToken))
            {
                db.UserRoles.Add(new IdentityUserRole<int> { UserId = userId, RoleId = roleId });
            }
        }

        return (first, before, new { profile.Skills, IdLast4 = profile.IdLast4 is null ? null : "****" });
    }

    public async Task<Paged<PointsLine>> PointsHistoryAsync(ClaimsPrincipal user, int? userId, int skip, int take, CancellationToken cancellationToken = default)
    {
        var id = await SubjectAsync(user, userId, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.PointsEntries.AsNoTracking().Where(e => e.UserId == id);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(e => e.Id).Skip(skip).Take(take)
            .Select(e => new PointsLine(e.Id, e.CreatedAtUtc, e.Kind, e.Delta, e.BalanceAfter, e.SourceKey,
                db.Activities.Where(a => a.Id == e.ActivityId).Select(a => a.Title).FirstOrDefault(), e.Reason,
                db.Users.Where(u => u.Id == e.ActorUserId).Select(u => u.RealName).FirstOrDefault()))
            .ToListAsync(cancellationToken);
        return new Paged<PointsLine>(items, total);
    }

    public async Task<Paged<HoursLine>> HoursHistoryAsync(ClaimsPrincipal user, int? userId, int skip, int take, CancellationToken cancellationToken = default)
    {
        var id = await SubjectAsync(user, userId, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.HoursEntries.AsNoTracking().Where(e => e.UserId == id);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(e => e.Id).Skip(skip).Take(take)
            .Select(e => new HoursLine(e.Id, e.CreatedAtUtc, e.Kind, e.Minutes, e.SourceKey,
                db.Activities.Where(a => a.Id == e.ActivityId).Select(a => a.Title).FirstOrDefault(), e.Reason,
                db.Users.Where(u => u.Id == e.ActorUserId).Select(u => u.RealName).FirstOrDefault()))
            .ToListAsync(cancellationToken);
        return new Paged<HoursLine>(items, total);
    }

    /// <summary>
    /// An organizer awards points for a good deed. At most <see cref="PointsOptions.AwardApprovalAbove"/> points reach
    /// the ledger at once; more wait for a second organizer. Returns the award.
    /// </summary>
    public async Task<AwardView> AwardAsync(ClaimsPrincipal organizer, int userId, int points, string? reason, CancellationToken cancellationToken = default)
    {
        var orgNodeId = await EnsureManagesAsync(organizer, userId, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var award = PointsAward.Request(userId, points, reason, organizer.RequiredUserId(), points > options.Value.AwardApprovalAbove, now);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.PointsAwards.Add(award);
        await db.SaveChangesAsync(cancellationToken);
        if (award.Status == AwardStatus.Approved)
        {
            await PostAwardAsync(db, award, now, cancellationToken);
        }

        audit.Record(db, organizer, award.Status == AwardStatus.Pending ? "points.award-requested" : "points.awarded", "PointsAward",
            award.Id.ToString(CultureInfo.InvariantCulture), orgNodeId, null, new { UserId = userId, award.Points, award.Reason });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (await AwardsAsync(organizer, award.Id, cancellationToken)).Single();
    }

    /// <summary>Pending awards in the organizer's area (their own are listed but cannot be decided by them).</summary>
    public Task<IReadOnlyList<AwardView>> PendingAwardsAsync(ClaimsPrincipal organizer, CancellationToken cancellationToken = default) =>
        AwardsAsync(organizer, null, cancellationToken);

    /// <summary>A second organizer approves (the points reach the ledger) or rejects (with a reason) a pending award.</summary>
    public async Task DecideAwardAsync(ClaimsPrincipal organizer, int awardId, bool approve, string? reason, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var award = await db.PointsAwards.FirstOrDefaultAsync(a => a.Id == awardId, cancellationToken) ?? throw new DomainException(ErrorCodes.Points.AwardNotFound);
        var orgNodeId = await EnsureManagesAsync(organizer, award.UserId, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (approve)
        {
            award.Approve(organizer.RequiredUserId(), now);
        }
        else
        {
            award.Reject(organizer.RequiredUserId(), reason, now);
        }

        // Two approvers at once: only the first turns Pending into a decision.
        var status = award.Status;
        db.Entry(award).State = EntityState.Detached;
        if (await db.PointsAwards.Where(a => a.Id == awardId && a.Status == AwardStatus.Pending)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(a => a.Status, status).SetProperty(a => a.DecidedByUserId, award.DecidedByUserId)
                        .SetProperty(a => a.DecidedAtUtc, award.DecidedAtUtc).SetProperty(a => a.RejectReason, award.RejectReason),
                    cancellationToken) == 0)
        {
            throw new DomainException(ErrorCodes.Points.AwardDecided);
        }

        if (approve)
        {
            await PostAwardAsync(db, award, now, cancellationToken);
        }

        audit.Record(db, organizer, approve ? "points.award-approved" : "points.award-rejected", "PointsAward", awardId.ToString(CultureInfo.InvariantCulture),
            orgNodeId, new { Status = nameof(AwardStatus.Pending) }, new { Status = status.ToString(), award.UserId, award.Points, award.RejectReason });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Takes back an earning entry (attendance, award, pledge bonus) with a reason: a new Reversed entry, never an
    /// edit; refused when the balance no longer covers it, and a second reversal of the same entry is refused.
    /// </summary>
    public async Task ReversePointsAsync(ClaimsPrincipal organizer, long entryId, string? reason, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainException(ErrorCodes.Points.ReasonRequired);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entry = await db.PointsEntries.AsNoTracking().FirstOrDefaultAsync(e => e.Id == entryId, cancellationToken) ?? throw new DomainException(ErrorCodes.Points.EntryNotFound);
        var orgNodeId = await EnsureManagesAsync(organizer, entry.UserId, cancellationToken);
        if (!entry.Kind.IsEarning())
        {
            throw new DomainException(ErrorCodes.Points.NotReversible);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var posted = await ledger.PostPointsAsync(db, entry.UserId, -entry.Delta, PointsKind.Reversed, LedgerSource.Reversal(entry.Id), now,
            entry.ActivityId, reason, organizer.RequiredUserId(), cancellationToken) ?? throw new DomainException(ErrorCodes.Points.AlreadyReversed);
        audit.Record(db, organizer, "points.reversed", "PointsEntry", entry.Id.ToString(CultureInfo.InvariantCulture), orgNodeId,
            new { entry.Delta, entry.SourceKey }, new { posted.Delta, posted.Reason, UserId = entry.UserId });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Corrects an hours record by a reversing record (minus some or all of its minutes), with a reason.</summary>
    public async Task CorrectHoursAsync(ClaimsPrincipal organizer, long entryId, int minutesToRemove, string? reason, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainException(ErrorCodes.Points.ReasonRequired);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entry = await db.HoursEntries.AsNoTracking().FirstOrDefaultAsync(e => e.Id == entryId, cancellationToken) ?? throw new DomainException(ErrorCodes.Points.EntryNotFound);
        var orgNodeId = await EnsureManagesAsync(organizer, entry.UserId, cancellationToken);
        if (entry.Kind != HoursKind.Attendance || minutesToRemove < 1 || minutesToRemove > entry.Minutes)
        {
            throw new DomainException(ErrorCodes.Hours.CorrectionInvalid, entry.Minutes);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var posted = await ledger.PostHoursAsync(db, entry.UserId, -minutesToRemove, HoursKind.Correction, LedgerSource.Correction(entry.Id), now,
            entry.ActivityId, reason, organizer.RequiredUserId(), cancellationToken) ?? throw new DomainException(ErrorCodes.Hours.AlreadyCorrected);
        audit.Record(db, organizer, "hours.corrected", "HoursEntry", entry.Id.ToString(CultureInfo.InvariantCulture), orgNodeId,
            new { entry.Minutes }, new { posted.Minutes, posted.Reason, UserId = entry.UserId });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task PostAwardAsync(AppDbContext db, PointsAward award, DateTime now, CancellationToken cancellationToken)
    {
        await ledger.PostPointsAsync(db, award.UserId, award.Points, PointsKind.Awarded, LedgerSource.Award(award.Id), now,
            reason: award.Reason, actorUserId: award.DecidedByUserId, cancellationToken: cancellationToken);
        db.Notifications.Add(Notification.Create(award.UserId, "Points.AwardedNotice",
            [award.Points.ToString(CultureInfo.InvariantCulture), award.Reason], "/volunteer", now));
    }

    private async Task<IReadOnlyList<AwardView>> AwardsAsync(ClaimsPrincipal organizer, int? awardId, CancellationToken cancellationToken)
    {
        var scope = await access.GetScopeAsync(organizer, cancellationToken);
        if (scope.IsNone)
        {
            throw new AccessDeniedException();
        }

        var me = organizer.RequiredUserId();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await (
            from a in db.PointsAwards.AsNoTracking()
            join u in db.Users on a.UserId equals u.Id
            join n in db.OrgNodes on u.OrgNodeId equals n.Id
            join r in db.Users on a.RequestedByUserId equals r.Id
            where awardId == null ? a.Status == AwardStatus.Pending : a.Id == awardId
            orderby a.RequestedAtUtc
            select new { a.Id, a.UserId, u.RealName, a.Points, a.Reason, a.Status, Requester = r.RealName, a.RequestedAtUtc, a.RequestedByUserId, n.Path })
            .ToListAsync(cancellationToken);
        return [.. rows.Where(r => scope.Contains(r.Path))
            .Select(r => new AwardView(r.Id, r.UserId, r.RealName, r.Points, r.Reason, r.Status, r.Requester, r.RequestedAtUtc,
                r.Status == AwardStatus.Pending && r.RequestedByUserId != me))];
    }

    private async Task<VolunteerSummary?> SummaryAsync(int userId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // A left join on the key, not FirstOrDefault in the projection: EF writes that as ROW_NUMBER() over every
        // profile, which SQLite computes for the whole table (≈ 0.2–1 s with 100,000 volunteers).
        var row = await (
            from u in db.Users.AsNoTracking()
            where u.Id == userId
            join profile in db.VolunteerProfiles.AsNoTracking() on u.Id equals profile.UserId into profiles
            from profile in profiles.DefaultIfEmpty()
            select new
            {
                u.Id,
                u.RealName,
                u.PhoneNumber,
                Org = db.OrgNodes.Where(n => n.Id == u.OrgNodeId).Select(n => n.Name).FirstOrDefault(),
                Profile = profile,
            }).FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        var p = row.Profile;
        var minutes = p?.TotalMinutes ?? 0;
        return new VolunteerSummary(row.Id, row.RealName, row.PhoneNumber ?? "", row.Org, p?.CompletedAtUtc is not null, p?.Skills ?? "", p?.IdLast4,
            minutes, StarLevel.ForMinutes(minutes), StarLevel.HoursToNext(minutes), p?.PointsBalance ?? 0, p?.PointsEarned ?? 0);
    }

    /// <summary>The person whose ledger is read: oneself, or someone in the organizer's area.</summary>
    private async Task<int> SubjectAsync(ClaimsPrincipal user, int? userId, CancellationToken cancellationToken)
    {
        var me = user.RequiredUserId();
        if (userId is null || userId == me)
        {
            return me;
        }

        await EnsureManagesAsync(user, userId.Value, cancellationToken);
        return userId.Value;
    }

    /// <summary>Refuses unless the organizer's subtree holds the person; returns the person's org node.</summary>
    private async Task<int?> EnsureManagesAsync(ClaimsPrincipal organizer, int userId, CancellationToken cancellationToken)
    {
        var scope = await access.GetScopeAsync(organizer, cancellationToken);
        if (scope.IsNone)
        {
            throw new AccessDeniedException();
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var person = await (
            from u in db.Users.AsNoTracking()
            where u.Id == userId
            select new { u.OrgNodeId, Path = db.OrgNodes.Where(n => n.Id == u.OrgNodeId).Select(n => n.Path).FirstOrDefault() })
            .FirstOrDefaultAsync(cancellationToken) ?? throw new DomainException(ErrorCodes.Volunteer.NotFound);
        if (!scope.Everywhere && (person.Path is null || !scope.Contains(person.Path)))
        {
            throw new AccessDeniedException();
        }

        return person.OrgNodeId;
    }
}
