using System.Buffers.Binary;
using System.Security.Claims;
using DezhiHub.Domain;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Auditing;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Auditing;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform.Signing;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.CheckIn;

/// <summary>A person's volunteer card as the card page shows it.</summary>
public sealed record VolunteerCard(int UserId, string RealName, string Phone, string? OrgName, int Version, string Token);

/// <summary>The person a scanned card names, when the card is still valid.</summary>
public sealed record CardHolder(int UserId, string RealName, string Phone);

public enum CardCheck
{
    Valid,

    /// <summary>Signed by this deployment, but an older card than the person's current one.</summary>
    Revoked,
    Invalid,
}

/// <summary>
/// Personal volunteer cards (志愿者卡): a long-lived QR code an organizer scans at the door. The token names the person
/// and the card's version and is signed with a key derived from the deployment's check-in key (so it can never pass
/// for a screen code, nor a screen code for a card). It does not expire; reissuing the card raises the version, and
/// every older card is refused from then on.
/// </summary>
public sealed class VolunteerCards(CheckInKeyStore keys, IDbContextFactory<AppDbContext> dbFactory, AuditTrail audit)
{
    /// <summary>The path a card's QR code opens; the scanner reads the token from its last segment.</summary>
    public const string PathPrefix = "/card/";

    private const int PayloadBytes = 1 + 4 + 4;
    private const byte Kind = (byte)'V';
    public static readonly int TokenLength = (((PayloadBytes + CheckInTokens.MacBytes) * 4) + 2) / 3;

    private readonly TokenSigner _signer = TokenSigner.Derived(keys, "dezhihub volunteer card v1", PayloadBytes, CheckInTokens.MacBytes);

    /// <summary>The signed-in person's card (every account can have one; the page is for volunteers).</summary>
    public async Task<VolunteerCard> MineAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var userId = user.RequiredUserId();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var person = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.Id, u.RealName, u.PhoneNumber, u.CardVersion, Org = db.OrgNodes.Where(n => n.Id == u.OrgNodeId).Select(n => n.Name).FirstOrDefault() })
            .FirstOrDefaultAsync(cancellationToken) ?? throw new AccessDeniedException();
        return new VolunteerCard(person.Id, person.RealName, person.PhoneNumber ?? "", person.Org, person.CardVersion, Issue(person.Id, person.CardVersion));
    }

    /// <summary>Voids the person's current card and gives them a new one (audited).</summary>
    public async Task<VolunteerCard> ReissueAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var userId = user.RequiredUserId();
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var person = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, cancellationToken) ?? throw new AccessDeniedException();
            var before = person.CardVersion;
            await db.Users.Where(u => u.Id == userId)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.CardVersion, u => u.CardVersion + 1), cancellationToken);
            audit.Record(db, user, "card.reissued", "User", userId.ToString(System.Globalization.CultureInfo.InvariantCulture), person.OrgNodeId,
                new { Version = before }, new { Version = before + 1 });
            await db.SaveChangesAsync(cancellationToken);
        }

        return await MineAsync(user, cancellationToken);
    }

    /// <summary>Checks a scanned card (the token, or the whole URL the QR holds) against the person's current card.</summary>
    public async Task<(CardCheck Check, CardHolder? Holder)> ReadAsync(string? scanned, CancellationToken cancellationToken = default)
    {
        if (!TryVerify(TokenSigner.FromScanned(scanned), out var userId, out var version))
        {
            return (CardCheck.Invalid, null);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var person = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.Id, u.RealName, u.PhoneNumber, u.CardVersion }).FirstOrDefaultAsync(cancellationToken);
        if (person is null)
        {
            return (CardCheck.Invalid, null);
        }

        var holder = new CardHolder(person.Id, person.RealName, person.PhoneNumber ?? "");
        return person.CardVersion == version ? (CardCheck.Valid, holder) : (CardCheck.Revoked, holder);
    }

    internal string Issue(int userId, int version)
    {
        Span<byte> bytes = stackalloc byte[PayloadBytes];
        bytes[0] = Kind;
        BinaryPrimitives.WriteInt32BigEndian(bytes[1..5], userId);
        BinaryPrimitives.WriteInt32BigEndian(bytes[5..PayloadBytes], version);
        return _signer.Sign(bytes);
    }

    internal bool TryVerify(string? token, out int userId, out int version)
    {
        userId = 0;
        version = 0;
        Span<byte> bytes = stackalloc byte[PayloadBytes];
        if (!_signer.TryOpen(token, bytes) || bytes[0] != Kind)
        {
            return false;
        }

        userId = BinaryPrimitives.ReadInt32BigEndian(bytes[1..5]);
        version = BinaryPrimitives.ReadInt32BigEndian(bytes[5..PayloadBytes]);
        return true;
    }
}
