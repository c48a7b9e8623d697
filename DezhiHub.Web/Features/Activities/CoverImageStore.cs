using System.Security.Claims;
using System.Security.Cryptography;
using DezhiHub.Domain;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Organization;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Activities;

/// <summary>A stored cover image ready to be served.</summary>
public sealed record CoverFile(string Path, string ContentType, string ETag);

/// <summary>
/// Activity cover images on disk under <c>&lt;DataPath&gt;/covers</c>. The type is decided by the file's first bytes,
/// never by its name or the browser's claim, and only JPEG, PNG and WebP of at most <see cref="MaxBytes"/> are kept.
/// Each upload gets a new random file name, so a replaced cover is never served from a stale cache.
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

    private string Folder => Directory.CreateDirectory(Path.Combine(DataServiceCollectionExtensions.ResolveDataPath(services), "covers")).FullName;

    /// <summary>Reads at most one byte more than allowed and checks size and type; throws the broken rule.</summary>
    public static Task<byte[]> ReadCheckedAsync(Stream content, CancellationToken cancellationToken = default) =>
        ImageUploads.ReadCheckedAsync(content, "Activity.CoverTooLarge", "Activity.CoverWrongType", cancellationToken);

    /// <summary>Sets the activity's cover (replacing any earlier one) for someone who manages its host.</summary>
    public async Task SaveAsync(ClaimsPrincipal user, int activityId, Stream content, CancellationToken cancellationToken = default)
    {
        var bytes = await ReadCheckedAsync(content, cancellationToken);
        var extension = ImageUploads.Extension(bytes);
        await ReplaceAsync(user, activityId, async folder =>
        {
            var name = $"{activityId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}{extension}";
            var temporary = Path.Combine(folder, name + ".tmp");
            await File.WriteAllBytesAsync(temporary, bytes, cancellationToken);
            File.Move(temporary, Path.Combine(folder, name));
            return name;
        }, cancellationToken);
    }

    public Task RemoveAsync(ClaimsPrincipal user, int activityId, CancellationToken cancellationToken = default) =>
        ReplaceAsync(user, activityId, _ => Task.FromResult<string?>(null), cancellationToken);

    /// <summary>The cover of an activity the user may see (drafts only for its managers); null when there is none.</summary>
    public async Task<CoverFile?> FindAsync(ClaimsPrincipal user, int activityId, CancellationToken cancellationToken = default)
    {
        if (await activities.GetAsync(user, activityId, cancellationToken) is not { Summary.HasCover: true })
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var name = await db.Activities.AsNoTracking().Where(a => a.Id == activityId).Select(a => a.CoverImage).FirstOrDefaultAsync(cancellationToken);
        if (name is null || Path.GetFileName(name) != name)
        {
            return null;
        }

        var path = Path.Combine(Folder, name);
        if (!File.Exists(path))
        {
            return null;
        }

        var contentType = ImageUploads.ContentTypeOf(name);
        return new CoverFile(path, contentType, $"\"{Path.GetFileNameWithoutExtension(name)}\"");
    }

    private async Task ReplaceAsync(ClaimsPrincipal user, int activityId, Func<string, Task<string?>> write, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var activity = await db.Activities.FirstOrDefaultAsync(a => a.Id == activityId, cancellationToken)
            ?? throw new DomainException("Activity.NotFound");
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
