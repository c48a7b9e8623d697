using System.Globalization;
using System.Security.Claims;
using DezhiHub.Domain.Organization;
using DezhiHub.Domain.Volunteering;
using DezhiHub.Domain;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Auditing;
using DezhiHub.Web.Features.Organization;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Auditing;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform.Localization;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Certificates;

/// <summary>A certificate as the list shows it.</summary>
public sealed record CertificateListItem(
    int Id, DateOnly PeriodFrom, DateOnly PeriodTo, int TotalMinutes, int ActivityCount, string IssuedBy, DateTime IssuedAtUtc, DateTime? RevokedAtUtc);

/// <summary>One activity on a certificate: its local date, title, host and the hours credited, corrections netted.</summary>
public sealed record CertificateLine(int ActivityId, DateOnly Date, string Title, string Host, int Minutes);

/// <summary>Everything the printable certificate shows.</summary>
public sealed record CertificateDocument(
    int Id,
    int UserId,
    string RealName,
    string? Community,
    DateOnly PeriodFrom,
    DateOnly PeriodTo,
    int TotalMinutes,
    int ActivityCount,
    string IssuedBy,
    DateTime IssuedAtUtc,
    DateTime? RevokedAtUtc,
    IReadOnlyList<CertificateLine> Lines,
    string Token);

public enum CertificateCheck
{
    Genuine,
    Revoked,

    /// <summary>Tampered, malformed, or naming no certificate: nothing more is said.</summary>
    Invalid,
}

/// <summary>What the public verification page may show: the name and the totals, nothing else about the person.</summary>
public sealed record CertificateVerification(
    CertificateCheck Check, string RealName, DateOnly PeriodFrom, DateOnly PeriodTo, int TotalMinutes, int ActivityCount, string IssuedBy, DateTime IssuedAtUtc, DateTime? RevokedAtUtc)
{
    public static readonly CertificateVerification Invalid = new(CertificateCheck.Invalid, "", default, default, 0, 0, "", default, null);
}

/// <summary>
/// Service record certificates (志愿服务记录证明). A volunteer issues their own; an Admin or Organizer issues one for a
/// person of their subtree. The certificate stores its totals and the last hours-ledger entry they count, so its lines
/// (credited hours per activity held in the period, corrections netted) can be listed again at any time and add up to
/// the stored totals. Its QR code carries a signed id (<see cref="CertificateTokens"/>) that the public verification
/// page checks.
/// </summary>
public sealed class CertificateService(
    IDbContextFactory<AppDbContext> dbFactory,
    OrgAccess access,
    AuditTrail audit,
    CertificateTokens tokens,
    DisplayTime time,
    TimeProvider clock)
{
    /// <summary>Today in the deployment's zone: the latest day a period may end.</summary>
    public DateOnly Today => DateOnly.FromDateTime(time.LocalNow);

    /// <summary>The default period: this year up to today.</summary>
    public (DateOnly From, DateOnly To) ThisYear => (new DateOnly(Today.Year, 1, 1), Today);

    /// <summary>The certificates of the signed-in person (<paramref name="userId"/> null) or of a person of the manager's area, newest first.</summary>
    public async Task<IReadOnlyList<CertificateListItem>> ListAsync(ClaimsPrincipal user, int? userId = null, CancellationToken cancellationToken = default)
    {
        var subject = await SubjectAsync(user, userId, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.ServiceCertificates.AsNoTracking()
            .Where(c => c.UserId == subject)
            .OrderByDescending(c => c.Id)
            .Select(c => new CertificateListItem(c.Id, c.PeriodFrom, c.PeriodTo, c.TotalMinutes, c.ActivityCount,
                db.OrgNodes.Where(n => n.Id == c.IssuedByOrgNodeId).Select(n => n.Name).FirstOrDefault() ?? "", c.IssuedAtUtc, c.RevokedAtUtc))
            .ToListAsync(cancellationToken);
        return rows;
    }

    /// <summary>The name of the person whose certificates a manager is looking at (after the same access check as the list).</summary>
    public async Task<string> NameOfAsync(ClaimsPrincipal user, int userId, CancellationToken cancellationToken = default)
    {
        var subject = await SubjectAsync(user, userId, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().Where(u => u.Id == subject).Select(u => u.RealName).FirstOrDefaultAsync(cancellationToken)
            ?? throw new DomainException(ErrorCodes.Certificate.PersonNotFound);
    }

    /// <summary>
    /// Issues a certificate of the credited service in [<paramref name="from"/>, <paramref name="to"/>] (local dates) for
    /// the signed-in person (<paramref name="userId"/> null or their own id: issued by their community) or, by an Admin or
    /// Organizer, for a person of their area (issued by the manager's node). Audited; returns the new certificate's id.
    /// </summary>
    public async Task<int> IssueAsync(ClaimsPrincipal user, int? userId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        var me = user.RequiredUserId();
        var subject = userId ?? me;
        var today = Today;
        if (ServiceCertificate.CheckPeriod(from, to, today) is { } broken)
        {
            throw new DomainException(broken, ServiceCertificate.MaxPeriodYears);
        }

        // Someone else's certificate: only a manager, and only for a person of their area.
        var scope = subject == me ? null : await access.GetScopeAsync(user, cancellationToken);
        if (scope?.IsNone == true)
        {
            throw new AccessDeniedException();
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var person = await PersonAsync(db, subject, cancellationToken);
        int issuedBy;
        if (scope is null)
        {
            issuedBy = (await CommunityAsync(db, person.Path, cancellationToken))?.Id ?? throw new DomainException(ErrorCodes.Certificate.NoCommunity);
        }
        else
        {
            if (!scope.Everywhere && (person.Path is null || !scope.Contains(person.Path)))
            {
                throw new AccessDeniedException();
            }

            // An Admin has no scope root; the certificate then names the Admin's own node, or the person's community.
            issuedBy = scope.RootNodeId
                ?? await db.Users.AsNoTracking().Where(u => u.Id == me).Select(u => u.OrgNodeId).FirstOrDefaultAsync(cancellationToken)
                ?? (await CommunityAsync(db, person.Path, cancellationToken))?.Id
                ?? throw new DomainException(ErrorCodes.Certificate.NoCommunity);
        }

        // The ledger is append-only and its ids only grow, so "every entry up to this id" is the ledger as it stands
        // now, and stays exactly that: the certificate's lines can be listed again later and still add up. Read under the
        // person's ledger lock (decision 0014, rule 20): on PostgreSQL ids are handed out before commit, so without it an
        // entry with a smaller id could still be committing and join the lines later; every post takes this lock first.
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await LockSql.LedgerAsync(db, subject, now, cancellationToken);
        var lastEntry = await db.HoursEntries.AsNoTracking().Where(e => e.UserId == subject).MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;
        var lines = await LinesAsync(db, subject, from, to, lastEntry, cancellationToken);
        var certificate = ServiceCertificate.Issue(subject, from, to, today, lines.Sum(l => l.Minutes), lines.Count, issuedBy, lastEntry, now);

        db.ServiceCertificates.Add(certificate);
        await db.SaveChangesAsync(cancellationToken);
        audit.Record(db, user, "certificate.issued", nameof(ServiceCertificate), certificate.Id.ToString(CultureInfo.InvariantCulture), person.OrgNodeId, null, new
        {
            certificate.UserId,
            PeriodFrom = certificate.PeriodFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            PeriodTo = certificate.PeriodTo.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            certificate.TotalMinutes,
            certificate.ActivityCount,
            certificate.IssuedByOrgNodeId,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return certificate.Id;
    }

    /// <summary>The printable certificate, for its owner and the managers of the owner's area.</summary>
    public async Task<CertificateDocument> GetAsync(ClaimsPrincipal user, int id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var certificate = await db.ServiceCertificates.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken)
            ?? throw new DomainException(ErrorCodes.Certificate.NotFound);
        await SubjectAsync(user, certificate.UserId, cancellationToken);
        var person = await PersonAsync(db, certificate.UserId, cancellationToken);
        var community = await CommunityAsync(db, person.Path, cancellationToken);
        var issuedBy = await db.OrgNodes.AsNoTracking().Where(n => n.Id == certificate.IssuedByOrgNodeId).Select(n => n.Name).SingleAsync(cancellationToken);
        var lines = await LinesAsync(db, certificate.UserId, certificate.PeriodFrom, certificate.PeriodTo, certificate.LastHoursEntryId, cancellationToken);
        return new CertificateDocument(certificate.Id, certificate.UserId, person.RealName, community?.Name, certificate.PeriodFrom, certificate.PeriodTo,
            certificate.TotalMinutes, certificate.ActivityCount, issuedBy, certificate.IssuedAtUtc, certificate.RevokedAtUtc, lines, tokens.Issue(certificate.Id));
    }

    /// <summary>Revokes a certificate (its owner or a manager of the owner's area); the verification page says so from then on. Audited.</summary>
    public async Task RevokeAsync(ClaimsPrincipal user, int id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var certificate = await db.ServiceCertificates.FirstOrDefaultAsync(c => c.Id == id, cancellationToken) ?? throw new DomainException(ErrorCodes.Certificate.NotFound);
        await SubjectAsync(user, certificate.UserId, cancellationToken);
        var orgNodeId = await db.Users.AsNoTracking().Where(u => u.Id == certificate.UserId).Select(u => u.OrgNodeId).FirstOrDefaultAsync(cancellationToken);
        certificate.Revoke(clock.GetUtcNow().UtcDateTime);
        var revokedAt = certificate.RevokedAtUtc;
        db.Entry(certificate).State = EntityState.Detached;

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Two revocations at once: only the first one changes the row.
        if (await db.ServiceCertificates.Where(c => c.Id == id && c.RevokedAtUtc == null)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.RevokedAtUtc, revokedAt), cancellationToken) == 0)
        {
            throw new DomainException(ErrorCodes.Certificate.AlreadyRevoked);
        }

        audit.Record(db, user, "certificate.revoked", nameof(ServiceCertificate), id.ToString(CultureInfo.InvariantCulture), orgNodeId,
            new { RevokedAtUtc = (DateTime?)null }, new { RevokedAtUtc = revokedAt });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The token in a certificate's QR code (owner and managers only see it, on the printable page).</summary>
    public string TokenOf(int certificateId) => tokens.Issue(certificateId);

    /// <summary>Anyone may check a code: genuine or revoked with the name and totals, or invalid and nothing else.</summary>
    public async Task<CertificateVerification> VerifyAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (!tokens.TryVerify(token, out var id))
        {
            return CertificateVerification.Invalid;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await (
            from c in db.ServiceCertificates.AsNoTracking()
            join u in db.Users on c.UserId equals u.Id
            join n in db.OrgNodes on c.IssuedByOrgNodeId equals n.Id
            where c.Id == id
            select new { u.RealName, c.PeriodFrom, c.PeriodTo, c.TotalMinutes, c.ActivityCount, n.Name, c.IssuedAtUtc, c.RevokedAtUtc })
            .FirstOrDefaultAsync(cancellationToken);
        return row is null
            ? CertificateVerification.Invalid
            : new CertificateVerification(row.RevokedAtUtc is null ? CertificateCheck.Genuine : CertificateCheck.Revoked, row.RealName, row.PeriodFrom, row.PeriodTo,
                row.TotalMinutes, row.ActivityCount, row.Name, row.IssuedAtUtc, row.RevokedAtUtc);
    }

    /// <summary>
    /// Credited hours per activity held in the period (by its local start date), counting ledger entries up to
    /// <paramref name="lastEntry"/>; corrections are netted into their activity, and an activity netted to nothing is
    /// not listed. Every hours source is an activity's attendance or a correction of one, so entries without an
    /// activity (none today) would not count.
    /// </summary>
    internal async Task<IReadOnlyList<CertificateLine>> LinesAsync(AppDbContext db, int userId, DateOnly from, DateOnly to, long lastEntry, CancellationToken cancellationToken)
    {
        var fromUtc = time.ToUtc(from.ToDateTime(TimeOnly.MinValue));
        var toUtc = time.ToUtc(to.AddDays(1).ToDateTime(TimeOnly.MinValue));
        var sums = await (
            from e in db.HoursEntries.AsNoTracking()
            join a in db.Activities on e.ActivityId equals (int?)a.Id
            where e.UserId == userId && e.Id <= lastEntry && a.StartUtc >= fromUtc && a.StartUtc < toUtc
            group e.Minutes by a.Id into g
            select new { ActivityId = g.Key, Minutes = g.Sum() })
            .ToListAsync(cancellationToken);
        var credited = sums.Where(s => s.Minutes > 0).ToDictionary(s => s.ActivityId, s => s.Minutes);
        var ids = credited.Keys.ToList();
        var activities = await db.Activities.AsNoTracking().Where(a => ids.Contains(a.Id))
            .Select(a => new { a.Id, a.Title, a.StartUtc, Host = db.OrgNodes.Where(n => n.Id == a.OrgNodeId).Select(n => n.Name).FirstOrDefault() ?? "" })
            .ToListAsync(cancellationToken);
        return [.. activities.OrderBy(a => a.StartUtc).ThenBy(a => a.Id)
            .Select(a => new CertificateLine(a.Id, DateOnly.FromDateTime(time.ToLocal(a.StartUtc)), a.Title, a.Host, credited[a.Id]))];
    }

    private static async Task<Person> PersonAsync(AppDbContext db, int userId, CancellationToken cancellationToken) =>
        await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new Person(u.RealName, u.OrgNodeId, db.OrgNodes.Where(n => n.Id == u.OrgNodeId).Select(n => n.Path).FirstOrDefault()))
            .FirstOrDefaultAsync(cancellationToken) ?? throw new DomainException(ErrorCodes.Certificate.PersonNotFound);

    /// <summary>The community (社区/村) a person's node belongs to: the node itself or its ancestor at that level, else the node itself.</summary>
    private static async Task<(int Id, string Name)?> CommunityAsync(AppDbContext db, string? path, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        var ids = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToList();
        var nodes = await db.OrgNodes.AsNoTracking().Where(n => ids.Contains(n.Id)).Select(n => new { n.Id, n.Name, n.Level }).ToListAsync(cancellationToken);
        var node = nodes.FirstOrDefault(n => n.Level == OrgLevel.Community) ?? nodes.FirstOrDefault(n => n.Id == ids[^1]);
        return node is null ? null : (node.Id, node.Name);
    }

    /// <summary>The person whose certificates are read or changed: oneself, or someone of the manager's area.</summary>
    private async Task<int> SubjectAsync(ClaimsPrincipal user, int? userId, CancellationToken cancellationToken)
    {
        var me = user.RequiredUserId();
        if (userId is null || userId == me)
        {
            return me;
        }

        var scope = await access.GetScopeAsync(user, cancellationToken);
        if (scope.IsNone)
        {
            throw new AccessDeniedException();
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var path = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => db.OrgNodes.Where(n => n.Id == u.OrgNodeId).Select(n => n.Path).FirstOrDefault())
            .FirstOrDefaultAsync(cancellationToken);
        if (!scope.Everywhere && (path is null || !scope.Contains(path)))
        {
            throw new AccessDeniedException();
        }

        return userId.Value;
    }

    private sealed record Person(string RealName, int? OrgNodeId, string? Path);
}
