using DezhiHub.Domain;
using DezhiHub.Web.Data;

namespace DezhiHub.Web.Platform.Files;

/// <summary>
/// Where uploaded pictures live, and their upkeep. They are files in <c>DezhiHub:FilesPath</c> — one folder every
/// instance mounts (decision 0016) — else in the data folder. Once, in the background after start (so a large folder
/// does not hold up readiness): a deployment that set <c>FilesPath</c> later has its data folder's pictures copied there
/// (each file once; the originals stay until the operator removes them); and every picture stored before uploads were
/// cleaned (kept as sent, EXIF and GPS included) and so without a thumbnail is re-encoded in place — same name and
/// format, so no row changes — and gets its thumbnail, which marks it done. One that cannot be decoded or is over the
/// pixel limit is moved aside as <c>&lt;name&gt;.refused</c> (no longer served) and logged.
/// </summary>
internal sealed class StoredPictures(IServiceProvider services, ILogger<StoredPictures> logger) : BackgroundService
{
    public const string Covers = "covers";
    public const string Rewards = "rewards";
    public const string WeddingPhotos = "wedding-photos";

    /// <summary>The picture folders (covers, reward pictures, wedding service photos).</summary>
    public static readonly string[] Folders = [Covers, Rewards, WeddingPhotos];

    /// <summary>A picture folder under the files path (created if missing).</summary>
    public static string Folder(IServiceProvider services, string folder) =>
        Directory.CreateDirectory(Path.Combine(FilesPath(services), folder)).FullName;

    /// <summary><c>DezhiHub:FilesPath</c> made absolute under the content root, or the data folder when unset.</summary>
    public static string FilesPath(IServiceProvider services)
    {
        var configured = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DezhiHubOptions>>().Value.FilesPath;
        return string.IsNullOrWhiteSpace(configured)
            ? DataServiceCollectionExtensions.ResolveDataPath(services)
            : Path.GetFullPath(configured, services.GetRequiredService<IHostEnvironment>().ContentRootPath);
    }

    // Nobody reads these refusals: a stored file that breaks a rule is moved aside.
    private static readonly ImageRefusals Refusals = new("Stored.TooLarge", "Stored.WrongType", "Stored.TooManyPixels");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var dataPath = DataServiceCollectionExtensions.ResolveDataPath(services);
        var root = FilesPath(services);
        if (!string.Equals(Path.TrimEndingDirectorySeparator(dataPath), Path.TrimEndingDirectorySeparator(root), StringComparison.Ordinal))
        {
            foreach (var folder in Folders.Where(f => Directory.Exists(Path.Combine(dataPath, f))))
            {
                try
                {
                    CopyMissing(Path.Combine(dataPath, folder), Folder(services, folder), logger);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    logger.LogError(ex, "Copying the pictures of {Folder} to the files path failed; the next start tries again.", folder);
                }
            }
        }

        foreach (var folder in Folders.Select(f => Path.Combine(root, f)).Where(Directory.Exists))
        {
            try
            {
                await CleanFolderAsync(folder, logger, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A background failure must not stop the app; the next start tries again.
                logger.LogError(ex, "Cleaning the stored pictures in {Folder} failed.", folder);
            }
        }
    }

    /// <summary>Copies each file of <paramref name="from"/> that <paramref name="to"/> lacks (via a temporary name); returns how many.</summary>
    public static int CopyMissing(string from, string to, ILogger logger)
    {
        var copied = 0;
        foreach (var path in Directory.GetFiles(from).Where(p => !p.EndsWith(".tmp", StringComparison.Ordinal)))
        {
            var target = Path.Combine(to, Path.GetFileName(path));
            if (File.Exists(target))
            {
                continue;
            }

            File.Copy(path, target + ".tmp", overwrite: true);
            File.Move(target + ".tmp", target, overwrite: false);
            copied++;
        }

        if (copied > 0)
        {
            logger.LogInformation("Copied {Count} pictures from {From} to the files path {To}; the originals can be removed.", copied, from, to);
        }

        return copied;
    }

    /// <summary>Cleans the folder's pictures that have no thumbnail yet; returns how many were re-encoded.</summary>
    public static async Task<int> CleanFolderAsync(string folder, ILogger logger, CancellationToken cancellationToken)
    {
        var cleaned = 0;
        foreach (var path in Directory.GetFiles(folder))
        {
            var name = Path.GetFileName(path);
            var thumbnail = Path.Combine(folder, ImageUploads.ThumbnailName(name));
            if (Path.GetExtension(name) is not (".jpg" or ".png" or ".webp") || ImageUploads.IsThumbnail(name) || File.Exists(thumbnail))
            {
                continue;
            }

            try
            {
                var image = await ImageUploads.CleanAsync(await File.ReadAllBytesAsync(path, cancellationToken), Refusals,
                    keepFormat: ImageUploads.ContentTypeOf(name), cancellationToken);
                // The picture first, the thumbnail last: its presence says the picture is clean.
                await ImageUploads.WriteFileAsync(path, image.Picture, cancellationToken);
                await ImageUploads.WriteFileAsync(thumbnail, image.Thumbnail, cancellationToken);
                cleaned++;
            }
            catch (DomainException ex)
            {
                File.Move(path, path + ".refused", overwrite: true);
                logger.LogWarning("The stored picture {Path} was moved aside: it could not be cleaned ({Reason}).", path, ex.Code);
            }
            catch (FileNotFoundException)
            {
                // Replaced by a new upload meanwhile.
            }
        }

        if (cleaned > 0)
        {
            logger.LogInformation("Re-encoded {Count} stored pictures in {Folder} without their metadata.", cleaned, folder);
        }

        return cleaned;
    }
}
