using System.Globalization;
using System.Security.Claims;
using DezhiHub.Domain;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Activities;
using DezhiHub.Web.Features.Organization;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Files;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Market;

/// <summary>A stored reward picture ready to be served.</summary>
public sealed record RewardPicture(string Path, string ContentType, string ETag);

/// <summary>
/// Reward item pictures on disk under <c>&lt;DataPath&gt;/rewards</c>, kept like activity covers: cleaned by
/// <see cref="ImageUploads"/> (checked, re-encoded without metadata, with a thumbnail for the market list), a new random
/// name per upload.
/// </summary>
public sealed class RewardPictureStore(IDbContextFactory<AppDbContext> dbFactory, OrgAccess access, IServiceProvider services)
{
    public const int MaxMegabytes = ImageUploads.MaxMegabytes;
    public const long MaxBytes = ImageUploads.MaxBytes;
    public const string Accept = ImageUploads.Accept;

    public static readonly ImageRefusals Refusals = new(ErrorCodes.Reward.PictureTooLarge, ErrorCodes.Reward.PictureWrongType, ErrorCodes.Reward.PictureTooManyPixels);

    internal string Folder => StoredPictures.Folder(services, StoredPictures.Rewards);

    /// <summary>Reads at most one byte more than allowed and checks size, type and declared dimensions; throws the broken rule.</summary>
    public static Task<byte[]> ReadCheckedAsync(Stream content, CancellationToken cancellationToken = default) =>
        ImageUploads.ReadCheckedAsync(content, Refusals, cancellationToken);

    /// <summary>Sets the item's picture (replacing any earlier one), for a manager of the item's node.</summary>
    public async Task SaveAsync(ClaimsPrincipal user, int itemId, Stream content, CancellationToken cancellationToken = default)
    {
        var bytes = await ReadCheckedAsync(content, cancellationToken);
        await ReplaceAsync(user, itemId,
            async folder => await ImageUploads.WriteAsync(folder, itemId.ToString(CultureInfo.InvariantCulture), bytes, Refusals, cancellationToken),
            cancellationToken);
    }

    public Task RemoveAsync(ClaimsPrincipal user, int itemId, CancellationToken cancellationToken = default) =>
        ReplaceAsync(user, itemId, _ => Task.FromResult<string?>(null), cancellationToken);

    /// <summary>
    /// The item's picture, or its thumbnail; null when there is none. Pictures are product photos, shown to anyone signed in.
    /// </summary>
    public async Task<RewardPicture?> FindAsync(int itemId, bool thumbnail = false, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var name = await db.RewardItems.AsNoTracking().Where(i => i.Id == itemId).Select(i => i.PictureFile).FirstOrDefaultAsync(cancellationToken);
        return ImageUploads.StoredPath(Folder, name, thumbnail) is { } path
            ? new RewardPicture(path, ImageUploads.ContentTypeOf(path), $"\"{Path.GetFileNameWithoutExtension(path)}\"")
            : null;
    }

    /// <summary>The URL pages show the picture from.</summary>
    public static string Url(int itemId) => $"/market/items/{itemId.ToString(CultureInfo.InvariantCulture)}/picture";

    /// <summary>The URL lists show the picture's thumbnail from.</summary>
    public static string ThumbnailUrl(int itemId) => Url(itemId) + "/thumb";

    private async Task ReplaceAsync(ClaimsPrincipal user, int itemId, Func<string, Task<string?>> write, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var item = await db.RewardItems.FirstOrDefaultAsync(i => i.Id == itemId, cancellationToken) ?? throw new DomainException(ErrorCodes.Reward.NotFound);
        if (!(await access.GetScopeAsync(user, cancellationToken)).Contains(item.OrgPath))
        {
            throw new AccessDeniedException();
        }

        var folder = Folder;
        var previous = item.PictureFile;
        var name = await write(folder);
        item.SetPicture(name);
        await ImageUploads.SwapAsync(folder, previous, name, () => db.SaveChangesAsync(cancellationToken));
    }
}
