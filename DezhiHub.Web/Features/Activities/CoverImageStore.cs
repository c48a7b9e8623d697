using System.Globalization;
using System.Security.Claims;
using DezhiHub.Domain;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Organization;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Files;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Activities;

/// <summary>A stored cover image ready to be served.</summary>
public sealed record CoverFile(string Path, string ContentType, string ETag);

/// <summary>
/// Activity cover images on disk under <c>&lt;DataPath&gt;/covers</c>, cleaned by <see cref="ImageUploads"/> (type by
/// content, size and dimensions checked, re-encoded without metadata, with a thumbnail for the cards). Each upload gets
/// a new random file name, so a replaced cover is never served from a stale cache.
/// </summary>
public sealed class CoverImageStore(
    IDbContextFactory<AppDbContext> dbFactory,
    OrgAccess access,
    ActivityService activities,
    TimeProvider clock,
    IServiceProvider services)
{
    public const int MaxMegabytes = ImageUploads.MaxMegabytes;
    public const long MaxBytes = ImageUploads.MaxBytes;

    /// <summary>What the file input offers; the server still checks the bytes.</summary>
    public const string Accept = ImageUploads.Accept;

    public static readonly ImageRefusals Refusals = new(ErrorCodes.Activity.CoverTooLarge, ErrorCodes.Activity.CoverWrongType, ErrorCodes.Activity.CoverTooManyPixels);

    internal string Folder => StoredPictures.Folder(services, StoredPictures.Covers);

    /// <summary>Reads at most one byte more than allowed and checks size, type and declared dimensions; throws the broken rule.</summary>
    public static Task<byte[]> ReadCheckedAsync(Stream content, CancellationToken cancellationToken = default) =>
        ImageUploads.ReadCheckedAsync(content, Refusals, cancellationToken);

    /// <summary>Sets the activity's cover (replacing any earlier one) for someone who manages its host.</summary>
    public async Task SaveAsync(ClaimsPrincipal user, int activityId, Stream content, CancellationToken cancellationToken = default)
    {
        var bytes = await ReadCheckedAsync(content, cancellationToken);
        await ReplaceAsync(user, activityId,
            async folder => await ImageUploads.WriteAsync(folder, activityId.ToString(CultureInfo.InvariantCulture), bytes, Refusals, cancellationToken),
            cancellationToken);
    }

    public Task RemoveAsync(ClaimsPrincipal user, int activityId, CancellationToken cancellationToken = default) =>
        ReplaceAsync(user, activityId, _ => Task.FromResult<string?>(null), cancellationToken);

    /// <summary>
    /// The cover of an activity the user may see (drafts only for its managers), or its thumbnail; null when there is none.
    /// </summary>
    public async Task<CoverFile?> FindAsync(ClaimsPrincipal user, int activityId, bool thumbnail = false, CancellationToken cancellationToken = default)
    {
        if (await activities.GetAsync(user, activityId, cancellationToken) is not { Summary.HasCover: true })
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var name = await db.Activities.AsNoTracking().Where(a => a.Id == activityId).Select(a => a.CoverImage).FirstOrDefaultAsync(cancellationToken);
        return ImageUploads.StoredPath(Folder, name, thumbnail) is { } path
            ? new CoverFile(path, ImageUploads.ContentTypeOf(path), $"\"{Path.GetFileNameWithoutExtension(path)}\"")
            : null;
    }

    private async Task ReplaceAsync(ClaimsPrincipal user, int activityId, Func<string, Task<string?>> write, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var activity = await db.Activities.FirstOrDefaultAsync(a => a.Id == activityId, cancellationToken)
            ?? throw new DomainException(ErrorCodes.Activity.NotFound);
        if (!(await access.GetScopeAsync(user, cancellationToken)).Contains(activity.OrgPath))
        {
            throw new AccessDeniedException();
        }

        var folder = Folder;
        var previous = activity.CoverImage;
        var name = await write(folder);
        activity.SetCoverImage(name, clock.GetUtcNow().UtcDateTime);
        await ImageUploads.SwapAsync(folder, previous, name, () => db.SaveChangesAsync(cancellationToken));
    }
}
