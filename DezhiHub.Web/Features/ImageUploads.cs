using DezhiHub.Domain;

namespace DezhiHub.Web.Features;

/// <summary>
/// Uploaded pictures (activity covers, reward pictures): the type decided by the first bytes — JPEG, PNG or WebP
/// only — at most <see cref="MaxBytes"/>, and the swap of the stored file that leaves no orphan when the save fails.
/// </summary>
public static class ImageUploads
{
    public const int MaxMegabytes = 2;
    public const long MaxBytes = MaxMegabytes * 1024 * 1024;
    public const string Accept = "image/jpeg,image/png,image/webp";

    /// <summary>The image type from the first bytes: image/jpeg, image/png, image/webp, or null for anything else.</summary>
    public static string? DetectContentType(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
        {
            return "image/jpeg";
        }

        if (head.Length >= 8 && head[..8].SequenceEqual((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "image/png";
        }

        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return "image/webp";
        }

        return null;
    }

    /// <summary>The file extension for a checked image's bytes.</summary>
    public static string Extension(ReadOnlySpan<byte> bytes) => DetectContentType(bytes) switch
    {
        "image/jpeg" => ".jpg",
        "image/png" => ".png",
        _ => ".webp",
    };

    /// <summary>The content type of a stored image, from the extension <see cref="Extension"/> gave it.</summary>
    public static string ContentTypeOf(string fileName) => Path.GetExtension(fileName) switch
    {
        ".jpg" => "image/jpeg",
        ".png" => "image/png",
        _ => "image/webp",
    };

    /// <summary>
    /// Reads at most one byte more than allowed and checks size and type; throws <paramref name="tooLargeCode"/> (with
    /// the limit in MB) or <paramref name="wrongTypeCode"/>.
    /// </summary>
    public static async Task<byte[]> ReadCheckedAsync(Stream content, string tooLargeCode, string wrongTypeCode, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBytes)
            {
                throw new DomainException(tooLargeCode, MaxMegabytes);
            }
        }

        var bytes = buffer.ToArray();
        return DetectContentType(bytes) is null ? throw new DomainException(wrongTypeCode) : bytes;
    }

    /// <summary>
    /// Saves the row that now names <paramref name="name"/>; when that fails the new file goes, when it succeeds the
    /// <paramref name="previous"/> one does.
    /// </summary>
    public static async Task SwapAsync(string folder, string? previous, string? name, Func<Task> save)
    {
        try
        {
            await save();
        }
        catch
        {
            DeleteQuietly(folder, name);
            throw;
        }

        DeleteQuietly(folder, previous);
    }

    private static void DeleteQuietly(string folder, string? name)
    {
        if (name is null || Path.GetFileName(name) != name)
        {
            return;
        }

        try
        {
            File.Delete(Path.Combine(folder, name));
        }
        catch (IOException)
        {
            // Being read right now; an orphaned file costs only disk space.
        }
    }
}
