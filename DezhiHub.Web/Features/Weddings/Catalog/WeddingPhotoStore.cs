using System.Globalization;
using System.Security.Cryptography;
using DezhiHub.Domain.Weddings;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Activities;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Weddings;

/// <summary>A service's photo as the edit page lists it: its stored file name (what removing names) and its URL.</summary>
public sealed record ManagedPhoto(string File, string Url);

/// <summary>A stored wedding service photo ready to be served.</summary>
public sealed record WeddingPhoto(string Path, string ContentType, string ETag);

/// <summary>
/// Photos of wedding services on disk under <c>&lt;DataPath&gt;/wedding-photos</c>, kept like reward pictures: the type
/// decided by the file's first bytes (JPEG, PNG or WebP only), at most <see cref="MaxBytes"/>, a new random name per
/// upload. Who may add or remove them is <see cref="WeddingCatalog"/>'s business; this class only reads and writes files.
/// </summary>
public sealed class WeddingPhotoStore(IDbContextFactory<AppDbContext> dbFactory, IServiceProvider services)
{
    public const int MaxMegabytes = ImageUploads.MaxMegabytes;
    public const long MaxBytes = ImageUploads.MaxBytes;
    public const string Accept = ImageUploads.Accept;

    internal string Folder => Directory.CreateDirectory(Path.Combine(DataServiceCollectionExtensions.ResolveDataPath(services), "wedding-photos")).FullName;

    /// <summary>Reads at most one byte more than allowed and checks size and type; throws the broken rule.</summary>
    public static Task<byte[]> ReadCheckedAsync(Stream content, CancellationToken cancellationToken = default) =>
        ImageUploads.ReadCheckedAsync(content, "WeddingPhoto.TooLarge", "WeddingPhoto.WrongType", cancellationToken);

    /// <summary>Writes checked bytes under a new random name (via a temporary file) and returns the name.</summary>
    internal async Task<string> WriteAsync(int resourceId, byte[] bytes, CancellationToken cancellationToken)
    {
        var name = $"{resourceId.ToString(CultureInfo.InvariantCulture)}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}{ImageUploads.Extension(bytes)}";
        var temporary = Path.Combine(Folder, name + ".tmp");
        await File.WriteAllBytesAsync(temporary, bytes, cancellationToken);
        File.Move(temporary, Path.Combine(Folder, name));
        return name;
    }

    /// <summary>The photo at <paramref name="index"/> of a live service; null when there is none. Shown to anyone, like the hub.</summary>
    public async Task<WeddingPhoto?> FindAsync(int resourceId, int index, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var photos = await db.WeddingResources.AsNoTracking().Where(r => r.Id == resourceId && !r.IsRetired).Select(r => r.Photos).FirstOrDefaultAsync(cancellationToken);
        var files = Split(photos);
        if (index < 0 || index >= files.Length || Path.GetFileName(files[index]) != files[index])
        {
            return null;
        }

        var name = files[index];
        var path = Path.Combine(Folder, name);
        if (!File.Exists(path))
        {
            return null;
        }

        var contentType = ImageUploads.ContentTypeOf(name);
        return new WeddingPhoto(path, contentType, $"\"{Path.GetFileNameWithoutExtension(name)}\"");
    }

    /// <summary>The photo URLs of these services (only those that have photos), in order.</summary>
    public async Task<IReadOnlyDictionary<int, IReadOnlyList<string>>> UrlsAsync(IReadOnlyCollection<int> resourceIds, CancellationToken cancellationToken = default)
    {
        if (resourceIds.Count == 0)
        {
            return new Dictionary<int, IReadOnlyList<string>>();
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.WeddingResources.AsNoTracking().Where(r => resourceIds.Contains(r.Id) && r.Photos != "")
            .Select(r => new { r.Id, r.Photos }).ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.Id, r => Urls(r.Id, r.Photos));
    }

    /// <summary>The URLs pages show a service's photos from; the file name rides along so a replaced photo is never a stale cache hit.</summary>
    public static IReadOnlyList<string> Urls(int resourceId, string? photos) =>
        [.. Split(photos).Select((file, index) => Url(resourceId, index, file))];

    public static string Url(int resourceId, int index, string file) =>
        string.Create(CultureInfo.InvariantCulture, $"/weddings/photos/{resourceId}/{index}?v={Uri.EscapeDataString(Path.GetFileNameWithoutExtension(file))}");

    private static string[] Split(string? photos) =>
        (photos ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
