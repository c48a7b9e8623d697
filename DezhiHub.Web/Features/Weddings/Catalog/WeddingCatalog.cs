using System.Globalization;
using System.Security.Claims;
using DezhiHub.Domain.Accounts;
using DezhiHub.Domain.Weddings;
using DezhiHub.Domain;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Auditing;
using DezhiHub.Web.Features.Organization;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Auditing;
using DezhiHub.Web.Platform.Files;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Weddings;

/// <summary>
/// The catalogue of wedding services (halls, stewards, registration slots, alliance packages, counselling classes).
/// Admins keep it everywhere, Organizers in their org node's subtree; nobody else. A package is offered by a Partner
/// account; a steward may be any account (who then confirms the requests), or none (the organizers confirm). Retiring
/// a service takes it off the residents' list; its bookings stay as they are.
/// </summary>
public sealed class WeddingCatalog(IDbContextFactory<AppDbContext> dbFactory, OrgAccess access, AuditTrail audit, TimeProvider clock, WeddingPhotoStore photoStore)
{
    public const string Entity = "WeddingResource";

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>The services of the manager's subtree, live ones first, with their upcoming bookings.</summary>
    public async Task<IReadOnlyList<ManagedResource>> ResourcesAsync(
        ClaimsPrincipal user, WeddingServiceKind? kind = null, bool includeRetired = false, CancellationToken cancellationToken = default)
    {
        var scope = await RequireScopeAsync(user, cancellationToken);
        var now = Now;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var resources = db.WeddingResources.AsNoTracking();
        if (!scope.Everywhere)
        {
            var root = scope.RootPath!;
            resources = resources.Where(r => r.OrgPath.StartsWith(root));
        }

        if (kind is { } k)
        {
            resources = resources.Where(r => r.Kind == k);
        }

        if (!includeRetired)
        {
            resources = resources.Where(r => !r.IsRetired);
        }

        var rows = await resources
            .OrderBy(r => r.IsRetired).ThenBy(r => r.Kind).ThenBy(r => r.OrgPath).ThenBy(r => r.Name)
            .Select(r => new
            {
                Resource = r,
                OrgName = db.OrgNodes.Where(n => n.Id == r.OrgNodeId).Select(n => n.Name).FirstOrDefault(),
                ProviderName = db.Users.Where(u => u.Id == r.ProviderUserId).Select(u => u.RealName).FirstOrDefault(),
                Upcoming = db.Bookings.Count(b => b.ResourceId == r.Id && b.SlotEndUtc > now
                    && (b.Status == BookingStatus.Requested || b.Status == BookingStatus.Approved || b.Status == BookingStatus.InLottery)),
                AwaitingReview = db.Bookings.Count(b => b.ResourceId == r.Id && b.SlotEndUtc > now && b.Status == BookingStatus.Requested),
            })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(x =>
        {
            var r = x.Resource;
            return new ManagedResource(
                r.Id, r.Kind, r.Name, r.Location, r.OrgNodeId, x.OrgName ?? "", x.ProviderName, r.Seats, r.PriceCapYuan, r.Counsellor, r.Capacity,
                r.Hours, r.SlotMinutes, r.BufferMinutes, r.Sessions.Count, r.Rules.RequiresApproval, r.IsRetired, x.Upcoming, x.AwaitingReview);
        })];
    }

    public async Task<ResourceEdit> GetForEditAsync(ClaimsPrincipal user, int resourceId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var resource = await LoadManagedAsync(db, user, resourceId, tracked: false, cancellationToken);
        var provider = resource.ProviderUserId is { } id ? await ProviderAsync(db, id, cancellationToken) : null;
        return new ResourceEdit(resource.Id, resource.ToDetails(), provider, resource.IsRetired);
    }

    /// <summary>
    /// Adds a service at a node of the manager's subtree; returns its id. Broken rules are refused all at once
    /// (<see cref="ResourceDetailsInvalidException"/>); a node outside the subtree is <see cref="AccessDeniedException"/>.
    /// </summary>
    public async Task<int> CreateAsync(ClaimsPrincipal user, WeddingResourceDetails details, CancellationToken cancellationToken = default)
    {
        await RequireScopeAsync(user, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var path = await CheckAsync(db, user, details, cancellationToken);
        var resource = WeddingResource.Create(details, path, Now);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.WeddingResources.Add(resource);
        await db.SaveChangesAsync(cancellationToken);
        audit.Record(db, user, "wedding.resource-created", Entity, Id(resource.Id), resource.OrgNodeId, null, Snapshot(resource));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return resource.Id;
    }

    /// <summary>
    /// Changes a live service. Bookings already made keep their times; new hours, slot lengths and rules apply to
    /// what is booked from now on. Its kind cannot change.
    /// </summary>
    public async Task UpdateAsync(ClaimsPrincipal user, int resourceId, WeddingResourceDetails details, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var resource = await LoadManagedAsync(db, user, resourceId, tracked: true, cancellationToken);
        if (resource.IsRetired)
        {
            throw new DomainException(ErrorCodes.WeddingCatalog.RetiredNoEdit);
        }

        if (details.Kind != resource.Kind)
        {
            throw new DomainException(ErrorCodes.Wedding.KindFixed);
        }

        var path = await CheckAsync(db, user, details, cancellationToken);
        var before = Snapshot(resource);
        resource.Update(details, path);
        var after = Snapshot(resource);
        var changed = after.Keys.Where(k => !Equals(before[k], after[k])).ToHashSet();
        if (changed.Count == 0)
        {
            return;
        }

        // Only what changed, under the service's name, so the log reads as the change that was made.
        audit.Record(db, user, "wedding.resource-updated", Entity, Id(resourceId), resource.OrgNodeId,
            before.Where(kv => changed.Contains(kv.Key) || kv.Key == nameof(WeddingResource.Name)).ToDictionary(),
            after.Where(kv => changed.Contains(kv.Key)).ToDictionary());
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Takes a service off the residents' list. Its bookings stay: reviewers still see and close them.</summary>
    public async Task RetireAsync(ClaimsPrincipal user, int resourceId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var resource = await LoadManagedAsync(db, user, resourceId, tracked: false, cancellationToken);
        var now = Now;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.WeddingResources.Where(r => r.Id == resourceId && !r.IsRetired)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.IsRetired, true), cancellationToken) == 0)
        {
            return;
        }

        var upcoming = await db.Bookings.CountAsync(
            b => b.ResourceId == resourceId && b.SlotEndUtc > now
                && (b.Status == BookingStatus.Requested || b.Status == BookingStatus.Approved || b.Status == BookingStatus.InLottery),
            cancellationToken);
        audit.Record(db, user, "wedding.resource-retired", Entity, Id(resourceId), resource.OrgNodeId,
            new { resource.Name, Kind = resource.Kind.ToString(), IsRetired = false },
            new { IsRetired = true, UpcomingBookings = upcoming });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>A live service's photos, in order, for a manager of its node.</summary>
    public async Task<IReadOnlyList<ManagedPhoto>> PhotosAsync(ClaimsPrincipal user, int resourceId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var resource = await LoadManagedAsync(db, user, resourceId, tracked: false, cancellationToken);
        return [.. resource.Photos.Select((file, index) => new ManagedPhoto(file, WeddingPhotoStore.Url(resourceId, index, file), WeddingPhotoStore.ThumbnailUrl(resourceId, index, file)))];
    }

    /// <summary>
    /// Adds a photo after the others (at most <see cref="WeddingResource.MaxPhotos"/>), for a manager of the service's
    /// node. The picture is judged by its bytes, not its name; a refusal leaves no file behind.
    /// </summary>
    public async Task AddPhotoAsync(ClaimsPrincipal user, int resourceId, Stream content, CancellationToken cancellationToken = default)
    {
        var bytes = await WeddingPhotoStore.ReadCheckedAsync(content, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var resource = await LoadEditableAsync(db, user, resourceId, cancellationToken);
        var previous = resource.Photos;
        if (resource.Photos.Count >= WeddingResource.MaxPhotos)
        {
            throw new DomainException(ErrorCodes.Wedding.TooManyPhotos, WeddingResource.MaxPhotos);
        }

        var folder = photoStore.Folder;
        var name = await photoStore.WriteAsync(resourceId, bytes, cancellationToken);
        await ImageUploads.SwapAsync(folder, null, name, async () =>
        {
            resource.AddPhoto(name);
            await SavePhotosAsync(db, user, resource, previous, "wedding.photo-added", name, cancellationToken);
        });
    }

    /// <summary>Takes a photo off the service and deletes its file, for a manager of the service's node.</summary>
    public async Task RemovePhotoAsync(ClaimsPrincipal user, int resourceId, string file, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var resource = await LoadEditableAsync(db, user, resourceId, cancellationToken);
        var previous = resource.Photos;
        if (!resource.RemovePhoto(file))
        {
            throw new DomainException(ErrorCodes.WeddingPhoto.NotFound);
        }

        await ImageUploads.SwapAsync(photoStore.Folder, file, null,
            () => SavePhotosAsync(db, user, resource, previous, "wedding.photo-removed", file, cancellationToken));
    }

    /// <summary>
    /// Stores the new photo list only when nobody changed it meanwhile (two uploads at once cannot make a fifth),
    /// with its audit entry, in one transaction.
    /// </summary>
    private async Task SavePhotosAsync(
        AppDbContext db, ClaimsPrincipal user, WeddingResource resource, IReadOnlyList<string> previous, string action, string file, CancellationToken cancellationToken)
    {
        var photos = resource.Photos;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.WeddingResources.Where(r => r.Id == resource.Id && r.Photos == previous)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Photos, photos), cancellationToken) == 0)
        {
            throw new DomainException(ErrorCodes.WeddingPhoto.Changed);
        }

        audit.Record(db, user, action, Entity, Id(resource.Id), resource.OrgNodeId,
            new { resource.Name, Photos = previous.Count },
            new { File = file, Photos = resource.Photos.Count });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<WeddingResource> LoadEditableAsync(AppDbContext db, ClaimsPrincipal user, int resourceId, CancellationToken cancellationToken)
    {
        var resource = await LoadManagedAsync(db, user, resourceId, tracked: false, cancellationToken);
        return resource.IsRetired ? throw new DomainException(ErrorCodes.WeddingCatalog.RetiredNoEdit) : resource;
    }

    /// <summary>The Partner accounts a manager may name as a package's provider.</summary>
    public async Task<IReadOnlyList<ProviderOption>> PartnersAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        await RequireScopeAsync(user, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await (
            from u in db.Users.AsNoTracking()
            join ur in db.UserRoles on u.Id equals ur.UserId
            join r in db.Roles on ur.RoleId equals r.Id
            where r.Name == Roles.Partner
            orderby u.RealName, u.Id
            select new { u.Id, u.RealName, u.PhoneNumber, OrgName = db.OrgNodes.Where(n => n.Id == u.OrgNodeId).Select(n => n.Name).FirstOrDefault() })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new ProviderOption(r.Id, r.RealName, MainlandMobile.Mask(r.PhoneNumber ?? ""), r.OrgName, true))];
    }

    /// <summary>
    /// The account with this mobile number (a steward to name), or null when there is none. ErrorCodes.WeddingCatalog.MobileInvalid
    /// when the text is not a mainland mobile number.
    /// </summary>
    public async Task<ProviderOption?> FindAccountAsync(ClaimsPrincipal user, string? mobile, CancellationToken cancellationToken = default)
    {
        await RequireScopeAsync(user, cancellationToken);
        if (!MainlandMobile.TryNormalize(mobile, out var phone))
        {
            throw new DomainException(ErrorCodes.WeddingCatalog.MobileInvalid);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var id = await db.Users.AsNoTracking().Where(u => u.PhoneNumber == phone).Select(u => (int?)u.Id).FirstOrDefaultAsync(cancellationToken);
        return id is { } found ? await ProviderAsync(db, found, cancellationToken) : null;
    }

    /// <summary>
    /// Everything about the details that can be refused, at once: the domain's field rules, the node (exists, in the
    /// manager's subtree) and the provider. Returns the node's path.
    /// </summary>
    private async Task<string> CheckAsync(AppDbContext db, ClaimsPrincipal user, WeddingResourceDetails details, CancellationToken cancellationToken)
    {
        var errors = details.Validate().Select(e => new FieldRefusal(e.Field, e.Code)).ToList();
        var path = await db.OrgNodes.AsNoTracking().Where(n => n.Id == details.OrgNodeId && !n.IsRetired).Select(n => n.Path).FirstOrDefaultAsync(cancellationToken);
        if (path is null)
        {
            errors.Add(new FieldRefusal(nameof(WeddingResourceDetails.OrgNodeId), "WeddingCatalog.OrgRequired"));
        }
        else if (!(await access.GetScopeAsync(user, cancellationToken)).Contains(path))
        {
            throw new AccessDeniedException();
        }

        if (await ProviderRefusalAsync(db, details, cancellationToken) is { } refusal)
        {
            errors.RemoveAll(e => e.Field == nameof(WeddingResourceDetails.ProviderUserId));
            errors.Add(new FieldRefusal(nameof(WeddingResourceDetails.ProviderUserId), refusal));
        }

        return errors.Count > 0 ? throw new ResourceDetailsInvalidException(errors) : path!;
    }

    /// <summary>A package needs a Partner account; a steward may name any account; the other kinds are reviewed by the organizers.</summary>
    private static async Task<string?> ProviderRefusalAsync(AppDbContext db, WeddingResourceDetails details, CancellationToken cancellationToken)
    {
        if (details.ProviderUserId is not { } id)
        {
            return details.Kind == WeddingServiceKind.AlliancePackage ? ErrorCodes.Wedding.PartnerRequired : null;
        }

        switch (details.Kind)
        {
            case WeddingServiceKind.AlliancePackage:
                var isPartner = await (
                    from ur in db.UserRoles
                    join r in db.Roles on ur.RoleId equals r.Id
                    where ur.UserId == id && r.Name == Roles.Partner
                    select ur).AnyAsync(cancellationToken);
                return isPartner ? null : "WeddingCatalog.PartnerInvalid";
            case WeddingServiceKind.FolkSteward:
                return await db.Users.AnyAsync(u => u.Id == id, cancellationToken) ? null : "WeddingCatalog.ProviderNotFound";
            default:
                return "WeddingCatalog.ProviderNotAllowed";
        }
    }

    private static async Task<ProviderOption?> ProviderAsync(AppDbContext db, int userId, CancellationToken cancellationToken)
    {
        var row = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new
            {
                u.Id,
                u.RealName,
                u.PhoneNumber,
                OrgName = db.OrgNodes.Where(n => n.Id == u.OrgNodeId).Select(n => n.Name).FirstOrDefault(),
                IsPartner = (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == u.Id && r.Name == Roles.Partner select ur).Any(),
            })
            .FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : new ProviderOption(row.Id, row.RealName, MainlandMobile.Mask(row.PhoneNumber ?? ""), row.OrgName, row.IsPartner);
    }

    private async Task<OrgScope> RequireScopeAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var scope = await access.GetScopeAsync(user, cancellationToken);
        return scope.IsNone ? throw new AccessDeniedException() : scope;
    }

    private async Task<WeddingResource> LoadManagedAsync(AppDbContext db, ClaimsPrincipal user, int resourceId, bool tracked, CancellationToken cancellationToken)
    {
        var scope = await RequireScopeAsync(user, cancellationToken);
        var resources = tracked ? db.WeddingResources : db.WeddingResources.AsNoTracking();
        var resource = await resources.FirstOrDefaultAsync(r => r.Id == resourceId, cancellationToken) ?? throw new DomainException(ErrorCodes.Wedding.ServiceNotFound);
        return scope.Contains(resource.OrgPath) ? resource : throw new AccessDeniedException();
    }

    /// <summary>What the audit log keeps of a service: every field a manager sets, in words a reader can follow.</summary>
    private static Dictionary<string, object?> Snapshot(WeddingResource r) => new()
    {
        [nameof(r.Kind)] = r.Kind.ToString(),
        [nameof(r.Name)] = r.Name,
        [nameof(r.Description)] = r.Description,
        [nameof(r.Location)] = r.Location,
        [nameof(r.Seats)] = r.Seats,
        [nameof(r.PriceCapYuan)] = r.PriceCapYuan,
        [nameof(r.Counsellor)] = r.Counsellor,
        [nameof(r.ProviderUserId)] = r.ProviderUserId,
        [nameof(r.OrgNodeId)] = r.OrgNodeId,
        [nameof(r.Hours)] = r.Hours.ToString(),
        [nameof(r.SlotMinutes)] = r.SlotMinutes,
        [nameof(r.BufferMinutes)] = r.BufferMinutes,
        [nameof(r.Capacity)] = r.Capacity,
        [nameof(r.Sessions)] = WeddingResource.FormatSessions(r.Sessions),
        [nameof(r.BlackoutDates)] = WeddingResource.FormatDates(r.BlackoutDates),
        [nameof(BookingRules.MinNoticeDays)] = r.Rules.MinNoticeDays,
        [nameof(BookingRules.MaxAdvanceDays)] = r.Rules.MaxAdvanceDays,
        [nameof(BookingRules.HouseholdLimit)] = r.Rules.HouseholdLimit,
        [nameof(BookingRules.CancelCutoffHours)] = r.Rules.CancelCutoffHours,
        [nameof(BookingRules.RequiresApproval)] = r.Rules.RequiresApproval,
        [nameof(BookingRules.ReviewWithinHours)] = r.Rules.ReviewWithinHours,
    };

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
