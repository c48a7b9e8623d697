using System.Security.Claims;
using DezhiHub.Domain;
using DezhiHub.Domain.Accounts;
using DezhiHub.Domain.Weddings;
using DezhiHub.Web.Data;
using DezhiHub.Web.Platform;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform.Localization;
using Microsoft.EntityFrameworkCore;


namespace DezhiHub.Web.Features.Weddings;

/// <summary>
/// The reviewers' side of bookings: the queue, approve, decline, close, and the voucher desk where staff scan a couple's
/// voucher. Reviewers are the resource's provider (a steward, a partner) and the Admins and Organizers of its org subtree.
/// </summary>
public sealed class BookingReviewService(
    IDbContextFactory<AppDbContext> dbFactory,
    OrgAccess access,
    BookingEngine engine,
    BookingVouchers vouchers,
    DisplayTime time,
    TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>The bookings of the resources the user reviews, filtered; requests due soonest first.</summary>
    public async Task<Paged<ReviewItem>> ReviewQueueAsync(ClaimsPrincipal user, ReviewFilter filter, int skip = 0, int take = 50, CancellationToken cancellationToken = default)
    {
        var me = user.RequiredUserId();
        var scope = await access.GetScopeAsync(user, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query =
            from b in db.Bookings.AsNoTracking()
            join r in Reviewable(db, scope, user) on b.ResourceId equals r.Id
            join u in db.Users on b.ApplicantUserId equals u.Id
            select new { b, r.Name, u.RealName, u.PhoneNumber };
        if (filter.Kind is { } kind)
        {
            query = query.Where(x => x.b.Kind == kind);
        }

        if (filter.Status is { } status)
        {
            query = query.Where(x => x.b.Status == status);
        }

        if (filter.ResourceId is { } resourceId)
        {
            query = query.Where(x => x.b.ResourceId == resourceId);
        }

        if (filter.From is { } from)
        {
            var fromUtc = time.ToUtc(from.ToDateTime(TimeOnly.MinValue));
            query = query.Where(x => x.b.SlotStartUtc >= fromUtc);
        }

        if (filter.To is { } to)
        {
            var toUtc = time.ToUtc(to.AddDays(1).ToDateTime(TimeOnly.MinValue));
            query = query.Where(x => x.b.SlotStartUtc < toUtc);
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query
            .OrderBy(x => x.b.Status != BookingStatus.Requested).ThenBy(x => x.b.ReviewDueUtc).ThenBy(x => x.b.SlotStartUtc).ThenBy(x => x.b.Id)
            .Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 500))
            .ToListAsync(cancellationToken);
        return new Paged<ReviewItem>(
            [.. rows.Select(x => new ReviewItem(x.b.Id, x.b.Kind, x.b.ResourceId, x.Name, x.RealName, MainlandMobile.Mask(x.PhoneNumber ?? ""), x.b.PartnerName,
                x.b.Note, x.b.SlotStartUtc, x.b.SlotEndUtc, x.b.Status, x.b.CreatedAtUtc, x.b.ReviewDueUtc, x.b.DecisionReason))],
            total);
    }

    /// <summary>The resources the user reviews (for the queue's filter); empty for someone who reviews none.</summary>
    public async Task<IReadOnlyList<ResourceOption>> ReviewableResourcesAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var me = user.RequiredUserId();
        var scope = await access.GetScopeAsync(user, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await Reviewable(db, scope, user).OrderBy(r => r.Kind).ThenBy(r => r.Name)
            .Select(r => new ResourceOption(r.Id, r.Kind, r.Name)).ToListAsync(cancellationToken);
    }

    public async Task ApproveAsync(ClaimsPrincipal user, int bookingId, CancellationToken cancellationToken = default)
    {
        var me = user.RequiredUserId();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (booking, resource) = await ReviewableBookingAsync(db, user, bookingId, cancellationToken);
        booking.Approve(me, Now);
        await engine.ChangeAsync(db, booking, held: true, me, null, cancellationToken);
    }

    public async Task DeclineAsync(ClaimsPrincipal user, int bookingId, string? reason, CancellationToken cancellationToken = default)
    {
        var me = user.RequiredUserId();
        var trimmed = Booking.RequiredReason(reason);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (booking, resource) = await ReviewableBookingAsync(db, user, bookingId, cancellationToken);
        booking.Decline(me, trimmed, Now);
        await engine.ChangeAsync(db, booking, held: true, me, trimmed, cancellationToken);
    }

    /// <summary>Closes an approved booking once its slot has begun: completed, or the couple did not come.</summary>
    public async Task CloseAsync(ClaimsPrincipal user, int bookingId, bool cameAlong, CancellationToken cancellationToken = default)
    {
        var me = user.RequiredUserId();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (booking, resource) = await ReviewableBookingAsync(db, user, bookingId, cancellationToken);
        booking.Close(cameAlong, me, Now);
        await engine.ChangeAsync(db, booking, held: false, me, null, cancellationToken);
    }

    // ----- Vouchers: staff scan at the hall or office -----

    /// <summary>What a scanned voucher names, for staff who review that resource; null when the code is not ours.</summary>
    public async Task<VoucherView?> DescribeVoucherAsync(ClaimsPrincipal user, string? scanned, CancellationToken cancellationToken = default)
    {
        if (!vouchers.TryVerify(scanned, out var bookingId))
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (booking, resource) = await ReviewableBookingAsync(db, user, bookingId, cancellationToken);
        var name = await db.Users.Where(u => u.Id == booking.ApplicantUserId).Select(u => u.RealName).SingleAsync(cancellationToken);
        var today = DateOnly.FromDateTime(time.LocalNow);
        return new VoucherView(booking.Id, booking.Kind, resource.Name, resource.Location, booking.SlotStartUtc, booking.SlotEndUtc,
            PersonName.Masked(name), booking.PartnerName, booking.Status, booking.ArrivedAtUtc,
            booking.Status == BookingStatus.Approved && DateOnly.FromDateTime(time.ToLocal(booking.SlotStartUtc)) == today);
    }

    /// <summary>Marks the couple's arrival from a scanned voucher (once; on the slot's day).</summary>
    public async Task ArriveAsync(ClaimsPrincipal user, string? scanned, CancellationToken cancellationToken = default)
    {
        if (!vouchers.TryVerify(scanned, out var bookingId))
        {
            throw new DomainException(ErrorCodes.Booking.VoucherInvalid);
        }

        var me = user.RequiredUserId();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (booking, resource) = await ReviewableBookingAsync(db, user, bookingId, cancellationToken);
        var now = Now;
        booking.Arrive(me, now, DateOnly.FromDateTime(time.ToLocal(now)), DateOnly.FromDateTime(time.ToLocal(booking.SlotStartUtc)));
        await engine.ChangeAsync(db, booking, held: false, me, null, cancellationToken);
    }

    /// <summary>
    /// The services whose bookings the person may review: those in their area, and those they provide — a partner's
    /// package only while they still hold the Partner role (as in the points market), a steward's own service as long
    /// as they are its steward.
    /// </summary>
    private static IQueryable<WeddingResource> Reviewable(AppDbContext db, OrgScope scope, ClaimsPrincipal user)
    {
        var resources = db.WeddingResources.AsNoTracking();
        if (scope.Everywhere)
        {
            return resources;
        }

        var me = user.RequiredUserId();
        var partner = user.IsInRole(Roles.Partner);
        if (scope.IsNone)
        {
            return resources.Where(r => r.ProviderUserId == me && (partner || r.Kind != WeddingServiceKind.AlliancePackage));
        }

        var root = scope.RootPath!;
        return resources.Where(r => (r.ProviderUserId == me && (partner || r.Kind != WeddingServiceKind.AlliancePackage)) || r.OrgPath.StartsWith(root));
    }

    /// <summary>Whether the person reviews this service as its provider (see <see cref="Reviewable"/>).</summary>
    private static bool Provides(WeddingResource resource, ClaimsPrincipal user) =>
        resource.ProviderUserId == user.RequiredUserId() && (resource.Kind != WeddingServiceKind.AlliancePackage || user.IsInRole(Roles.Partner));

    private async Task<(Booking Booking, WeddingResource Resource)> ReviewableBookingAsync(AppDbContext db, ClaimsPrincipal user, int bookingId, CancellationToken cancellationToken)
    {
        var booking = await db.Bookings.FirstOrDefaultAsync(b => b.Id == bookingId, cancellationToken)
            ?? throw new DomainException(ErrorCodes.Booking.NotFound);
        var resource = await db.WeddingResources.AsNoTracking().SingleAsync(r => r.Id == booking.ResourceId, cancellationToken);
        if (!Provides(resource, user))
        {
            var scope = await access.GetScopeAsync(user, cancellationToken);
            if (!scope.Contains(resource.OrgPath))
            {
                throw new AccessDeniedException();
            }
        }

        return (booking, resource);
    }
}
