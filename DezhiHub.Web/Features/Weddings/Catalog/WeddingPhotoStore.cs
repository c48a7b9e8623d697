using System.Globalization;
using DezhiHub.Domain.Weddings;
using DezhiHub.Domain;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Activities;
using DezhiHub.Web.Platform.Files;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Weddings;

/// <summary>A service's photo as the edit page lists it: its stored file name (what removing names) and its URLs.</summary>
public sealed record ManagedPhoto(string File, string Url, string ThumbnailUrl);

/// <summary>Where a page shows a photo from: the full picture, and the thumbnail for cards and strips.</summary>
public sealed record PhotoUrls(string Full, string Thumbnail);

/// <summary>A stored wedding service photo ready to be served.</summary>
public sealed record WeddingPhoto(string Path, string ContentType, string ETag);

/// <summary>
/// Photos of wedding services on disk under <c>&lt;DataPath&gt;/wedding-photos</c>, kept like reward pictures: cleaned by
/// <see cref="ImageUploads"/> (checked, re-encoded without metadata, with a thumbnail for the hub cards), a new random
/// name per upload. Who may add or remove them is <see cref="WeddingCatalog"/>'s business; this class only reads and writes files.
/// </summary>
public sealed class WeddingPhotoStore(IDbContextFactory<AppDbContext> dbFactory, IServiceProvider services)
{
    public const int MaxMegabytes = ImageUploads.MaxMegabytes;
    public const long MaxBytes = ImageUploads.MaxBytes;
    public const string Accept = ImageUploads.Accept;

    public static readonly ImageRefusals Refusals = new(ErrorCodes.WeddingPhoto.TooLarge, "WeddingPhoto.WrongType", "WeddingPhoto.TooManyPixels");

    internal string Folder => StoredPictures.Folder(services, StoredPictures.WeddingPhotos);

    /// <summary>Reads at most one byte more than allowed and checks size, type and declared dimensions; throws the broken rule.</summary>
    public static Task<byte[]> ReadCheckedAsync(Stream content, CancellationToken cancellationToken = default) =>
        ImageUploads.ReadCheckedAsync(content, Refusals, cancellationToken);

    /// <summary>Cleans checked bytes, writes the photo and its thumbnail under a new random name, and returns the name.</summary>
    internal Task<string> WriteAsync(int resourceId, byte[] bytes, CancellationToken cancellationToken) =>
        ImageUploads.WriteAsync(Folder, resourceId.ToString(CultureInfo.InvariantCulture), bytes, Refusals, cancellationToken);

    /// <summary>
    /// The photo at <paramref name="index"/> of a live service, or its thumbnail; null when there is none. Shown to
    /// anyone, like the hub.
    /// </summary>
    public async Task<WeddingPhoto?> FindAsync(int resourceId, int index, bool thumbnail = false, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var files = await db.WeddingResources.AsNoTracking().Where(r => r.Id == resourceId && !r.IsRetired).Select(r => r.Photos).FirstOrDefaultAsync(cancellationToken) ?? [];
        return index >= 0 && index < files.Count && ImageUploads.StoredPath(Folder, files[index], thumbnail) is { } path
            ? new WeddingPhoto(path, ImageUploads.ContentTypeOf(path), $"\"{Path.GetFileNameWithoutExtension(path)}\"")
            : null;
    }

    /// <summary>The photo URLs of these services (only those that have photos), in order.</summary>
    public async Task<IReadOnlyDictionary<int, IReadOnlyList<PhotoUrls>>> UrlsAsync(IReadOnlyCollection<int> resourceIds, CancellationToken cancellationToken = default)
    {
        if (resourceIds.Count == 0)
        {
            return new Dictionary<int, IReadOnlyList<PhotoUrls>>();
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.WeddingResources.AsNoTracking().Where(r => resourceIds.Contains(r.Id))
            .Select(r => new { r.Id, r.Photos }).ToListAsync(cancellationToken);
        return rows.Where(r => r.Photos.Count > 0).ToDictionary(r => r.Id, r => Urls(r.Id, r.Photos));
    }

    /// <summary>The URLs pages show a service's photos from; the file name rides along so a replaced photo is never a stale cache hit.</summary>
    public static IReadOnlyList<PhotoUrls> Urls(int resourceId, IReadOnlyList<string> photos) =>
        [.. photos.Select((file, index) => new PhotoUrls(Url(resourceId, index, file), ThumbnailUrl(resourceId, index, file)))];

    public static string Url(int resourceId, int index, string file) =>
        string.Create(CultureInfo.InvariantCulture, $"/weddings/photos/{resourceId}/{index}?v={Uri.EscapeDataString(Path.GetFileNameWithoutExtension(file))}");

    public static string ThumbnailUrl(int resourceId, int index, string file) =>
        string.Create(CultureInfo.InvariantCulture, $"/weddings/photos/{resourceId}/{index}/thumb?v={Uri.EscapeDataString(Path.GetFileNameWithoutExtension(file))}");
}
