using System.Globalization;
using System.Security.Claims;
using DezhiHub.Domain.Accounts;
using DezhiHub.Domain.Volunteering;
using DezhiHub.Domain.Weddings;
using DezhiHub.Domain;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Auditing;
using DezhiHub.Web.Features.Notifications;
using DezhiHub.Web.Features.Organization;
using DezhiHub.Web.Features.Volunteering;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Auditing;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web.Platform;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DezhiHub.Web.Features.Weddings;

/// <summary>
/// The civilized-wedding pledge (文明婚俗承诺): a couple signs every current item; after the wedding an organizer of the
/// applicant's org subtree verifies it and each partner with an account receives the pledge points through the ledger,
/// under the source "pledge:{person}", so a person receives the bonus once ever, whichever pledge it came through.
/// </summary>
public sealed class PledgeService(
    IDbContextFactory<AppDbContext> dbFactory,
    OrgAccess access,
    AuditTrail audit,
    NotificationService notifications,
    Ledger ledger,
    IOptions<WeddingOptions> options,
    DisplayTime time,
    TimeProvider clock)
{
    public const string Entity = "WeddingPledge";

    /// <summary>How far ahead a wedding date may lie when the pledge is signed.</summary>
    public const int MaxAdvanceDays = 730;

    private const string Link = "/weddings/pledge";

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Points each partner receives when a pledge is verified (once ever per person).</summary>
    public int PledgePoints => options.Value.PledgePoints;

    /// <summary>The ledger source of a person's pledge bonus: one per person, ever.</summary>
    public static string SourceKey(int userId) => LedgerSource.Pledge(userId);

    // ----- Residents -----

    /// <summary>The current (not retired) items, in their order.</summary>
    public async Task<IReadOnlyList<PledgeItemView>> ItemsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await CurrentItems(db).Select(i => new PledgeItemView(i.Id, i.Text)).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The pledge the person is part of, as applicant or as the named partner: the live one if any, else the latest
    /// rejected one (which may be signed anew); null when there is none.
    /// </summary>
    public async Task<MyPledge?> MineAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var me = user.RequiredUserId();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // A partner who registered after the signature is found by their mobile until the pledge names their account.
        var myMobile = await db.Users.AsNoTracking().Where(u => u.Id == me).Select(u => u.PhoneNumber).FirstOrDefaultAsync(cancellationToken);
        var row = await (
            from w in db.WeddingPledges.AsNoTracking()
            join a in db.Users on w.ApplicantUserId equals a.Id
            where w.ApplicantUserId == me || w.PartnerUserId == me
                || (w.PartnerUserId == null && w.Status == PledgeStatus.Pending && myMobile != null && w.PartnerMobile == myMobile)
            orderby w.Status == PledgeStatus.Rejected, w.SignedAtUtc descending, w.Id descending
            select new { Pledge = w, a.RealName, PartnerRegistered = db.Users.Any(u => u.PhoneNumber == w.PartnerMobile) }).FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        var source = SourceKey(me);
        var bonus = await db.PointsEntries.AsNoTracking().Where(e => e.SourceKey == source)
            .Select(e => new { e.Delta, e.CreatedAtUtc }).FirstOrDefaultAsync(cancellationToken);
        var p = row.Pledge;
        var isApplicant = p.ApplicantUserId == me;
        return new MyPledge(
            p.Id, isApplicant, row.RealName, p.PartnerName,
            isApplicant ? p.PartnerMobile : MainlandMobile.Mask(p.PartnerMobile),
            HasAccount(p, row.PartnerRegistered), p.WeddingDate, Lines(p.ItemsText), p.Status, p.SignedAtUtc, p.DecidedAtUtc, p.RejectReason,
            bonus?.Delta, bonus?.CreatedAtUtc);
    }

    /// <summary>
    /// The couple signs: every current item accepted, the partner's name and mainland mobile (which names the partner's
    /// account when it belongs to one), a wedding date from today up to <see cref="MaxAdvanceDays"/> ahead. One live
    /// pledge per person, as applicant or partner. Returns the pledge's id; a refusal changes nothing.
    /// </summary>
    public async Task<int> SignAsync(
        ClaimsPrincipal user, string? partnerName, string? partnerMobile, DateOnly? weddingDate, IReadOnlyCollection<int> acceptedItemIds,
        CancellationToken cancellationToken = default)
    {
        var me = user.RequiredUserId();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var items = await CurrentItems(db).ToListAsync(cancellationToken);
        if (items.Count == 0)
        {
            throw new DomainException(ErrorCodes.Pledge.NoItems);
        }

        var current = items.Select(i => i.Id).ToHashSet();
        if (acceptedItemIds.Any(id => !current.Contains(id)))
        {
            // The Admin changed the items while the form was open: the couple must read what they sign.
            throw new DomainException(ErrorCodes.Pledge.ItemsChanged);
        }

        if (current.Any(id => !acceptedItemIds.Contains(id)))
        {
            throw new DomainException(ErrorCodes.Pledge.AllItemsRequired);
        }

        if (!MainlandMobile.TryNormalize(partnerMobile, out var mobile))
        {
            throw new DomainException(ErrorCodes.Pledge.MobileInvalid);
        }

        var now = Now;
        var today = DateOnly.FromDateTime(time.ToLocal(now));
        if (weddingDate is not { } date)
        {
            throw new DomainException(ErrorCodes.Pledge.DateRequired);
        }

        if (date > today.AddDays(MaxAdvanceDays))
        {
            throw new DomainException(ErrorCodes.Pledge.DateTooFar, MaxAdvanceDays);
        }

        var applicant = await (
            from u in db.Users.AsNoTracking()
            join n in db.OrgNodes on u.OrgNodeId equals n.Id
            where u.Id == me
            select new { u.RealName, NodeId = n.Id, n.Path }).FirstOrDefaultAsync(cancellationToken)
            ?? throw new DomainException(ErrorCodes.Pledge.NoOrgNode);
        var partner = await db.Users.AsNoTracking().Where(u => u.PhoneNumber == mobile).Select(u => (int?)u.Id).FirstOrDefaultAsync(cancellationToken);
        var pledge = WeddingPledge.Sign(me, partnerName ?? "", mobile, partner, date, [.. items.Select(i => i.Text)], applicant.NodeId, applicant.Path, now, today);

        // The person locks of both partners first, in id order (decision 0014, rules 40–41), so the checks see every
        // pledge committed before this one: a double submit is answered "already signed" here, not by a unique-index
        // error, and two people signing each other's pledge at once get one pledge.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var person in new[] { me, partner ?? me }.Distinct().Order())
        {
            await LockSql.PersonAsync(db, person, cancellationToken);
        }

        if (await LiveAsync(db, me).AnyAsync(cancellationToken))
        {
            throw new DomainException(ErrorCodes.Pledge.AlreadySigned);
        }

        if (partner is { } partnerId && await LiveAsync(db, partnerId).AnyAsync(cancellationToken))
        {
            throw new DomainException(ErrorCodes.Pledge.PartnerAlreadySigned);
        }

        db.WeddingPledges.Add(pledge);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // Behind the locks, the unique index (one live pledge per applicant) still decides.
            throw new DomainException(ErrorCodes.Pledge.AlreadySigned);
        }

        var weddingDay = Day(date);
        if (partner is { } named)
        {
            notifications.Add(db, named, "Pledge.PartnerSignedNotice", [applicant.RealName, NotificationText.Date(date)], Link);
        }

        audit.Record(db, user, "pledge.signed", Entity, Id(pledge.Id), pledge.OrgNodeId, null,
            new { pledge.PartnerName, PartnerMobile = MainlandMobile.Mask(mobile), PartnerHasAccount = partner is not null, WeddingDate = weddingDay, Items = items.Count });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return pledge.Id;
    }

    // ----- Organizers -----

    /// <summary>
    /// The pledges of applicants in the organizer's subtree (an Admin's: all), optionally of one status, earliest
    /// wedding date first; mobiles masked. Anyone who verifies nowhere is refused.
    /// </summary>
    public async Task<Paged<PledgeQueueItem>> QueueAsync(ClaimsPrincipal user, PledgeStatus? status, int skip = 0, int take = 50, CancellationToken cancellationToken = default)
    {
        var scope = await RequireScopeAsync(user, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // The node's current path, not the one copied at signing: a node moved since then stays with its organizers.
        var query =
            from p in db.WeddingPledges.AsNoTracking()
            join n in db.OrgNodes on p.OrgNodeId equals n.Id
            join a in db.Users on p.ApplicantUserId equals a.Id
            join parentNode in db.OrgNodes on n.ParentId equals parentNode.Id into parents
            from parentNode in parents.DefaultIfEmpty()
            join d in db.Users on p.DecidedByUserId equals d.Id into deciders
            from d in deciders.DefaultIfEmpty()
            select new
            {
                Pledge = p, n.Path, NodeName = n.Name, ParentName = parentNode.Name, a.RealName, a.PhoneNumber, Decider = d.RealName,
                PartnerRegistered = db.Users.Any(u => u.PhoneNumber == p.PartnerMobile),
            };
        if (!scope.Everywhere)
        {
            var root = scope.RootPath!;
            query = query.Where(x => x.Path.StartsWith(root));
        }

        if (status is { } s)
        {
            query = query.Where(x => x.Pledge.Status == s);
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderBy(x => x.Pledge.WeddingDate).ThenBy(x => x.Pledge.Id)
            .Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 500)).ToListAsync(cancellationToken);
        var today = DateOnly.FromDateTime(time.LocalNow);
        return new Paged<PledgeQueueItem>(
            [.. rows.Select(x =>
            {
                var p = x.Pledge;
                return new PledgeQueueItem(
                    p.Id, x.RealName, MainlandMobile.Mask(x.PhoneNumber ?? ""), p.PartnerName, MainlandMobile.Mask(p.PartnerMobile), HasAccount(p, x.PartnerRegistered),
                    p.WeddingDate, x.ParentName is null ? x.NodeName : $"{x.ParentName} · {x.NodeName}", p.Status, p.SignedAtUtc,
                    p.DecidedAtUtc, x.Decider, p.RejectReason, p.Status == PledgeStatus.Pending && today >= p.WeddingDate);
            })],
            total);
    }

    /// <summary>
    /// Confirms, on or after the wedding day, that the pledge was kept. In one transaction: the status (a concurrency
    /// token: of two organizers at once only the first gets through) and the pledge points for each partner with an
    /// account, unless that person received a pledge bonus before. Both are told.
    /// </summary>
    public async Task VerifyAsync(ClaimsPrincipal user, int pledgeId, CancellationToken cancellationToken = default)
    {
        var me = user.RequiredUserId();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var pledge = await ManagedPledgeAsync(db, user, pledgeId, cancellationToken);
        var now = Now;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await LinkLateRegisteredPartnerAsync(db, pledge, cancellationToken);
        pledge.Verify(me, now, DateOnly.FromDateTime(time.ToLocal(now)));
        var points = PledgePoints;
        var applicant = await ApplicantNameAsync(db, pledge, cancellationToken);
        await SaveDecisionAsync(db, cancellationToken);
        var credited = new List<int>();
        foreach (var person in pledge.Beneficiaries())
        {
            var entry = await ledger.PostPointsAsync(db, person, points, PointsKind.PledgeBonus, SourceKey(person), now,
                reason: $"{applicant} · {pledge.PartnerName} · {Day(pledge.WeddingDate)}", actorUserId: me, cancellationToken: cancellationToken);
            if (entry is null)
            {
                notifications.Add(db, person, "Pledge.VerifiedNoBonusNotice", [NotificationText.Date(pledge.WeddingDate)], Link);
            }
            else
            {
                credited.Add(person);
                notifications.Add(db, person, "Pledge.VerifiedNotice", [NotificationText.Date(pledge.WeddingDate), points.ToString(CultureInfo.InvariantCulture)], Link);
            }
        }

        audit.Record(db, user, "pledge.verified", Entity, Id(pledgeId), pledge.OrgNodeId,
            new { Status = nameof(PledgeStatus.Pending) },
            new { Status = nameof(PledgeStatus.Verified), Applicant = applicant, pledge.PartnerName, WeddingDate = Day(pledge.WeddingDate), Points = points, Credited = credited.Count });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Refuses a pending pledge with a reason, which both partners are told.</summary>
    public async Task RejectAsync(ClaimsPrincipal user, int pledgeId, string? reason, CancellationToken cancellationToken = default)
    {
        var me = user.RequiredUserId();
        var trimmed = Booking.RequiredReason(reason);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var pledge = await ManagedPledgeAsync(db, user, pledgeId, cancellationToken);
        pledge.Reject(me, trimmed, Now);
        var applicant = await ApplicantNameAsync(db, pledge, cancellationToken);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await SaveDecisionAsync(db, cancellationToken);
        foreach (var person in pledge.Beneficiaries())
        {
            notifications.Add(db, person, "Pledge.RejectedNotice", [NotificationText.Date(pledge.WeddingDate), trimmed], Link);
        }

        audit.Record(db, user, "pledge.rejected", Entity, Id(pledgeId), pledge.OrgNodeId,
            new { Status = nameof(PledgeStatus.Pending) },
            new { Status = nameof(PledgeStatus.Rejected), Applicant = applicant, pledge.PartnerName, WeddingDate = Day(pledge.WeddingDate), Reason = trimmed });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    // ----- Helpers -----

    /// <summary>Whether the partner has an account: named at signing, or registered since while the pledge is pending.</summary>
    private static bool HasAccount(WeddingPledge pledge, bool partnerMobileRegistered) =>
        pledge.PartnerUserId is not null || (pledge.Status == PledgeStatus.Pending && partnerMobileRegistered);

    /// <summary>
    /// A partner who had no account when the pledge was signed but registered since with its mobile is named now, so
    /// they receive their points too (unless they are already part of another live pledge).
    /// </summary>
    private static async Task LinkLateRegisteredPartnerAsync(AppDbContext db, WeddingPledge pledge, CancellationToken cancellationToken)
    {
        if (pledge.PartnerUserId is not null)
        {
            return;
        }

        var partner = await db.Users.AsNoTracking().Where(u => u.PhoneNumber == pledge.PartnerMobile).Select(u => (int?)u.Id).FirstOrDefaultAsync(cancellationToken);
        if (partner is not { } id)
        {
            return;
        }

        // The partner's person lock before the check (decision 0014, rule 41): a pledge they sign at this moment is seen.
        await LockSql.PersonAsync(db, id, cancellationToken);
        if (!await LiveAsync(db, id, pledge.Id).AnyAsync(cancellationToken))
        {
            pledge.LinkPartner(id);
        }
    }

    private static IQueryable<PledgeItem> CurrentItems(AppDbContext db) =>
        db.PledgeItems.AsNoTracking().Where(i => !i.IsRetired).OrderBy(i => i.SortOrder).ThenBy(i => i.Id);

    /// <summary>Live pledges (not rejected) other than <paramref name="exceptId"/> the person is part of.</summary>
    private static IQueryable<WeddingPledge> LiveAsync(AppDbContext db, int userId, int exceptId = 0) =>
        db.WeddingPledges.Where(p => p.Id != exceptId && p.Status != PledgeStatus.Rejected && (p.ApplicantUserId == userId || p.PartnerUserId == userId));

    private async Task<OrgScope> RequireScopeAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var scope = await access.GetScopeAsync(user, cancellationToken);
        return scope.IsNone ? throw new AccessDeniedException() : scope;
    }

    /// <summary>A pledge (tracked) whose applicant's node lies in the user's subtree; otherwise refused.</summary>
    private async Task<WeddingPledge> ManagedPledgeAsync(AppDbContext db, ClaimsPrincipal user, int pledgeId, CancellationToken cancellationToken)
    {
        var scope = await RequireScopeAsync(user, cancellationToken);
        var pledge = await db.WeddingPledges.FirstOrDefaultAsync(p => p.Id == pledgeId, cancellationToken)
            ?? throw new DomainException(ErrorCodes.Pledge.NotFound);
        var path = await db.OrgNodes.AsNoTracking().Where(n => n.Id == pledge.OrgNodeId).Select(n => n.Path).FirstOrDefaultAsync(cancellationToken) ?? pledge.OrgPath;
        return scope.Contains(path) ? pledge : throw new AccessDeniedException();
    }

    /// <summary>Saves the decision; the status is a concurrency token, so a pledge decided meanwhile is refused.</summary>
    private static async Task SaveDecisionAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainException(ErrorCodes.Pledge.Changed);
        }
    }

    private static Task<string> ApplicantNameAsync(AppDbContext db, WeddingPledge pledge, CancellationToken cancellationToken) =>
        db.Users.AsNoTracking().Where(u => u.Id == pledge.ApplicantUserId).Select(u => u.RealName).SingleAsync(cancellationToken);

    private static string[] Lines(string itemsText) =>
        itemsText.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>A date as stored in ledger reasons and audit entries: the same in every language.</summary>
    private static string Day(DateOnly date) => DateText.Iso(date);

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
