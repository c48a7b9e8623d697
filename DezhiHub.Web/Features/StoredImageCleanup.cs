using DezhiHub.Domain;
using DezhiHub.Web.Data;

namespace DezhiHub.Web.Features;

/// <summary>
/// Pictures stored before uploads were cleaned were kept as sent, EXIF and GPS included. Once, in the background after
/// start (so a large folder does not hold up readiness), every stored picture without a thumbnail is re-encoded in
/// place — same name and format, so no row changes — and gets its thumbnail, which marks it done. One that cannot be
/// decoded or is over the pixel limit is moved aside as <c>&lt;name&gt;.refused</c> (no longer served) and logged.
/// </summary>
internal sealed class StoredImageCleanup(IServiceProvider services, ILogger<StoredImageCleanup> logger) : BackgroundService
{
    /// <summary>The picture folders under the data path (covers, reward pictures, wedding service photos).</summary>
    public static readonly string[] Folders = ["covers", "rewards", "wedding-photos"];

    // Nobody reads these refusals: a stored file that breaks a rule is moved aside.
    private static readonly ImageRefusals Refusals = new("Stored.TooLarge", "Stored.WrongType", "Stored.TooManyPixels");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var root = DataServiceCollectionExtensions.ResolveDataPath(services);
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
