using System.Security.Cryptography;
using DezhiHub.Domain;
using SkiaSharp;

namespace DezhiHub.Web.Platform.Files;

/// <summary>The refusal codes of one kind of picture (each feature words them its own way).</summary>
public sealed record ImageRefusals(string TooLarge, string WrongType, string TooManyPixels);

/// <summary>A picture ready to store: the re-encoded full picture, its thumbnail, and the extension both carry.</summary>
public sealed record CleanImage(byte[] Picture, byte[] Thumbnail, string Extension, int Width, int Height);

/// <summary>
/// Uploaded pictures (activity covers, reward pictures, wedding service photos). Nothing is stored as sent: the type is
/// decided by the first bytes (JPEG, PNG or WebP), the size and the dimensions the header declares are checked before
/// any pixel is decoded, and the picture is then decoded, turned upright by its EXIF orientation and encoded anew, so
/// no metadata (EXIF, GPS, XMP, ICC, comments) survives. Opaque pictures become JPEG, pictures with transparency PNG.
/// A thumbnail for lists and cards is stored beside each picture. See docs/decisions/0009-image-uploads.md.
/// </summary>
public static class ImageUploads
{
    public const int MaxMegabytes = 2;
    public const long MaxBytes = MaxMegabytes * 1024 * 1024;
    public const string Accept = "image/jpeg,image/png,image/webp";

    /// <summary>Longest side a picture may declare; a larger one is refused before decoding.</summary>
    public const int MaxSide = 8000;

    /// <summary>Most pixels a picture may declare, in millions (40 MP is 160 MB decoded; phones take 12–50 MP).</summary>
    public const int MaxMegapixels = 40;

    /// <summary>Longest side of the stored picture: larger ones are scaled down (detail pages, ample for any phone).</summary>
    public const int StoredSide = 2048;

    /// <summary>The thumbnail fits this box (lists and cards are at most ~400 px wide).</summary>
    public const int ThumbnailWidth = 480;
    public const int ThumbnailHeight = 960;

    public const int JpegQuality = 85;

    private const string ThumbnailSuffix = ".thumb";

    /// <summary>At most two decodes at once: a 40 MP picture takes 160 MB while it is decoded.</summary>
    private static readonly SemaphoreSlim Decoding = new(2, 2);

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

    /// <summary>The content type of a stored image, from its extension.</summary>
    public static string ContentTypeOf(string fileName) => Path.GetExtension(fileName) switch
    {
        ".jpg" => "image/jpeg",
        ".png" => "image/png",
        _ => "image/webp",
    };

    /// <summary>The thumbnail's file name beside a stored picture's: <c>7-ab12.jpg</c> → <c>7-ab12.thumb.jpg</c>.</summary>
    public static string ThumbnailName(string name) => Path.GetFileNameWithoutExtension(name) + ThumbnailSuffix + Path.GetExtension(name);

    /// <summary>
    /// Reads at most one byte more than allowed and checks size, type and the dimensions the header declares (no pixel
    /// is decoded yet); throws the broken rule, the too-large one with the limit in MB, the pixel one with the side in
    /// pixels and the total in megapixels and in 万 pixels.
    /// </summary>
    public static async Task<byte[]> ReadCheckedAsync(Stream content, ImageRefusals refusals, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBytes)
            {
                throw new DomainException(refusals.TooLarge, MaxMegabytes);
            }
        }

        var bytes = buffer.ToArray();
        using var data = SKData.CreateCopy(bytes);
        using var codec = OpenChecked(data, refusals);
        return bytes;
    }

    /// <summary>
    /// Decodes checked bytes, turns the picture upright, scales it to at most <see cref="StoredSide"/>, and encodes it and
    /// its thumbnail anew without any metadata: PNG when it has transparent pixels, otherwise JPEG (quality
    /// <see cref="JpegQuality"/>). <paramref name="keepFormat"/> ("image/jpeg", "image/png", "image/webp") forces the
    /// format, for files stored before pictures were cleaned whose names already say it.
    /// </summary>
    public static async Task<CleanImage> CleanAsync(byte[] bytes, ImageRefusals refusals, string? keepFormat = null, CancellationToken cancellationToken = default)
    {
        await Decoding.WaitAsync(cancellationToken);
        try
        {
            // CPU-bound work off the caller's thread (a Blazor circuit or a request).
            return await Task.Run(() => Clean(bytes, refusals, keepFormat), cancellationToken);
        }
        finally
        {
            Decoding.Release();
        }
    }

    /// <summary>
    /// Cleans checked bytes and writes the picture and its thumbnail under a new random name (each via a temporary file);
    /// returns the picture's name, <c>&lt;prefix&gt;-&lt;12 hex&gt;.jpg</c> or <c>.png</c>.
    /// </summary>
    public static async Task<string> WriteAsync(string folder, string prefix, byte[] bytes, ImageRefusals refusals, CancellationToken cancellationToken)
    {
        var image = await CleanAsync(bytes, refusals, cancellationToken: cancellationToken);
        var name = $"{prefix}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}{image.Extension}";
        await WriteFileAsync(Path.Combine(folder, ThumbnailName(name)), image.Thumbnail, cancellationToken);
        await WriteFileAsync(Path.Combine(folder, name), image.Picture, cancellationToken);
        return name;
    }

    /// <summary>
    /// The path of a stored picture, or of its thumbnail when asked and present (a picture without one falls back to
    /// itself); null for a name that is not a plain file name or a file that is not there.
    /// </summary>
    public static string? StoredPath(string folder, string? name, bool thumbnail)
    {
        if (name is null || Path.GetFileName(name) != name)
        {
            return null;
        }

        if (thumbnail && Path.Combine(folder, ThumbnailName(name)) is var small && File.Exists(small))
        {
            return small;
        }

        var path = Path.Combine(folder, name);
        return File.Exists(path) ? path : null;
    }

    /// <summary>
    /// Saves the row that now names <paramref name="name"/>; when that fails the new file goes, when it succeeds the
    /// <paramref name="previous"/> one does (each with its thumbnail).
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

    internal static async Task WriteFileAsync(string path, byte[] bytes, CancellationToken cancellationToken)
    {
        var temporary = path + ".tmp";
        await File.WriteAllBytesAsync(temporary, bytes, cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    internal static bool IsThumbnail(string name) => Path.GetFileNameWithoutExtension(name).EndsWith(ThumbnailSuffix, StringComparison.Ordinal);

    /// <summary>A codec over the bytes once type and declared dimensions pass; throws the broken rule otherwise.</summary>
    private static SKCodec OpenChecked(SKData data, ImageRefusals refusals)
    {
        if (DetectContentType(data.AsSpan()) is null || SKCodec.Create(data) is not { } codec)
        {
            throw new DomainException(refusals.WrongType);
        }

        // The header's word only: a 100000 × 100000 PNG of a few hundred bytes would need 40 GB to decode.
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width <= 0 || height <= 0 || width > MaxSide || height > MaxSide || (long)width * height > MaxMegapixels * 1_000_000L)
        {
            codec.Dispose();
            // The limit in megapixels and in units of 10 000 pixels (万, as Chinese counts them).
            throw new DomainException(refusals.TooManyPixels, MaxSide, MaxMegapixels, MaxMegapixels * 100);
        }

        return codec;
    }

    private static CleanImage Clean(byte[] bytes, ImageRefusals refusals, string? keepFormat)
    {
        using var data = SKData.CreateCopy(bytes);
        using var codec = OpenChecked(data, refusals);
        var origin = codec.EncodedOrigin;
        var sideways = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;

        // JPEG decodes straight to 1/2, 1/4 or 1/8 size: a big photo never takes its full size in memory.
        var info = codec.Info;
        var fit = Math.Min(1f, (float)StoredSide / Math.Max(info.Width, info.Height));
        var scaled = codec.GetScaledDimensions(fit);
        // Colours are converted to sRGB from whatever profile the file carries; the profile itself is not kept.
        var decodeInfo = new SKImageInfo(scaled.Width, scaled.Height, SKColorType.Rgba8888,
            info.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Premul, SKColorSpace.CreateSrgb());
        using var decoded = new SKBitmap(decodeInfo);
        var result = codec.GetPixels(decodeInfo, decoded.GetPixels());
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
        {
            throw new DomainException(refusals.WrongType);
        }

        using var source = SKImage.FromBitmap(decoded);
        var (uprightWidth, uprightHeight) = sideways ? (info.Height, info.Width) : (info.Width, info.Height);
        using var picture = Draw(source, origin, Fit(uprightWidth, uprightHeight, StoredSide, StoredSide));
        using var pictureImage = SKImage.FromBitmap(picture);
        using var thumbnail = Draw(pictureImage, SKEncodedOrigin.TopLeft, Fit(picture.Width, picture.Height, ThumbnailWidth, ThumbnailHeight));

        var format = keepFormat ?? (HasTransparency(picture) ? "image/png" : "image/jpeg");
        return new CleanImage(Encode(picture, format), Encode(thumbnail, format), Extension(format), picture.Width, picture.Height);
    }

    /// <summary>The largest size of these proportions within the box, never larger than the original.</summary>
    private static SKSizeI Fit(int width, int height, int maxWidth, int maxHeight)
    {
        var scale = Math.Min(1d, Math.Min((double)maxWidth / width, (double)maxHeight / height));
        return new SKSizeI(Math.Max(1, (int)Math.Round(width * scale)), Math.Max(1, (int)Math.Round(height * scale)));
    }

    /// <summary>Draws the source upright (by its EXIF origin) into a new bitmap of the target size.</summary>
    private static SKBitmap Draw(SKImage source, SKEncodedOrigin origin, SKSizeI size)
    {
        var sideways = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var target = new SKBitmap(new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, source.AlphaType, SKColorSpace.CreateSrgb()));
        using var canvas = new SKCanvas(target);
        canvas.Clear(SKColors.Transparent);
        // Scale the upright picture to the target, after turning the stored pixels upright (w × h as stored).
        float w = source.Width, h = source.Height;
        var (uprightWidth, uprightHeight) = sideways ? (h, w) : (w, h);
        var matrix = SKMatrix.CreateScale(size.Width / uprightWidth, size.Height / uprightHeight).PreConcat(Upright(origin, w, h));
        canvas.SetMatrix(matrix);
        using var paint = new SKPaint();
        canvas.DrawImage(source, 0, 0, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear), paint);
        canvas.Flush();
        return target;
    }

    /// <summary>The transform that shows pixels stored w × h with this EXIF origin upright (TIFF orientations 1–8).</summary>
    private static SKMatrix Upright(SKEncodedOrigin origin, float w, float h) => origin switch
    {
        SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
        SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
        SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
        SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1),
        SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),
        _ => SKMatrix.Identity,
    };

    private static bool HasTransparency(SKBitmap bitmap)
    {
        if (bitmap.AlphaType == SKAlphaType.Opaque)
        {
            return false;
        }

        var pixels = bitmap.GetPixelSpan();
        for (var i = 3; i < pixels.Length; i += 4)
        {
            if (pixels[i] != 0xFF)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Encodes pixels that carry no colour profile, so the encoder writes none: the file has pixels and nothing else.</summary>
    private static byte[] Encode(SKBitmap bitmap, string format)
    {
        using var pixmap = bitmap.PeekPixels();
        using var bare = new SKPixmap(pixmap.Info.WithColorSpace(null), pixmap.GetPixels(), pixmap.RowBytes);
        using var encoded = format switch
        {
            "image/png" => bare.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, 6)),
            "image/webp" => bare.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, JpegQuality)),
            _ => bare.Encode(new SKJpegEncoderOptions(JpegQuality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore)),
        };
        return encoded?.ToArray() ?? throw new InvalidOperationException($"The {format} encoder refused a {bitmap.Width}×{bitmap.Height} picture.");
    }

    private static string Extension(string format) => format switch
    {
        "image/png" => ".png",
        "image/webp" => ".webp",
        _ => ".jpg",
    };

    private static void DeleteQuietly(string folder, string? name)
    {
        if (name is null || Path.GetFileName(name) != name)
        {
            return;
        }

        try
        {
            File.Delete(Path.Combine(folder, name));
            File.Delete(Path.Combine(folder, ThumbnailName(name)));
        }
        catch (IOException)
        {
            // Being read right now; an orphaned file costs only disk space.
        }
    }
}
