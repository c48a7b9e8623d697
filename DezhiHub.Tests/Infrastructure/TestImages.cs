using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SkiaSharp;

namespace DezhiHub.Tests.Infrastructure;

/// <summary>
/// Pictures made for the upload tests: a camera-like JPEG carrying EXIF (orientation, a description, GPS coordinates),
/// PNGs with and without transparency, a PNG whose header declares a size it does not have, and a reader for what
/// a stored JPEG still carries besides its pixels.
/// </summary>
public static class TestImages
{
    /// <summary>Text in the EXIF description of <see cref="JpegWithExif"/>; a stored picture must not contain it.</summary>
    public const string Description = "Wedding at No. 7 Hongxing Road";

    /// <summary>
    /// A JPEG of <paramref name="width"/> × <paramref name="height"/> stored pixels (red on the left half, blue on the
    /// right) with an EXIF block: the TIFF orientation (6 = turn 90° clockwise to show), <see cref="Description"/> and a
    /// GPS latitude of 38° 2′ 12.34″ N.
    /// </summary>
    public static byte[] JpegWithExif(int width, int height, int orientation = 6)
    {
        var jpeg = Encode(width, height, SKEncodedImageFormat.Jpeg, canvas =>
        {
            canvas.Clear(SKColors.Blue);
            using var red = new SKPaint { Color = SKColors.Red };
            canvas.DrawRect(0, 0, width / 2f, height, red);
        });
        var exif = Exif(orientation);
        // APP1 right after SOI, where cameras put it.
        var segment = new byte[4 + exif.Length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(exif.Length + 2));
        exif.CopyTo(segment, 4);
        return [.. jpeg[..2], .. segment, .. jpeg[2..]];
    }

    /// <summary>An opaque JPEG without metadata, of any size (a gradient, so it compresses like a photo rather than to nothing).</summary>
    public static byte[] Jpeg(int width, int height) => Encode(width, height, SKEncodedImageFormat.Jpeg, canvas =>
    {
        using var shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(width, height), [SKColors.Gold, SKColors.DarkRed], SKShaderTileMode.Clamp);
        using var paint = new SKPaint { Shader = shader };
        canvas.DrawRect(0, 0, width, height, paint);
    });

    /// <summary>A PNG, opaque or with its left half fully transparent.</summary>
    public static byte[] Png(int width, int height, bool transparent) => Encode(width, height, SKEncodedImageFormat.Png, canvas =>
    {
        canvas.Clear(SKColors.Green);
        if (transparent)
        {
            using var clear = new SKPaint { Color = SKColors.Transparent, BlendMode = SKBlendMode.Src };
            canvas.DrawRect(0, 0, width / 2f, height, clear);
        }
    });

    /// <summary>
    /// A well-formed PNG whose header declares <paramref name="width"/> × <paramref name="height"/> and whose data is a
    /// few bytes: decoding it would need width × height × 4 bytes of memory.
    /// </summary>
    public static byte[] PngDeclaring(int width, int height)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // RGB
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write(new byte[64]);
        }

        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>The markers of a JPEG's segments before its image data (APP0 = 0xE0, APP1/EXIF/XMP = 0xE1, ICC = 0xE2, COM = 0xFE…).</summary>
    public static IReadOnlyList<byte> JpegHeaderMarkers(byte[] jpeg)
    {
        Assert.True(jpeg is [0xFF, 0xD8, ..], "a JPEG starts with SOI");
        var markers = new List<byte>();
        var at = 2;
        while (at + 4 <= jpeg.Length && jpeg[at] == 0xFF)
        {
            var marker = jpeg[at + 1];
            markers.Add(marker);
            if (marker == 0xDA)
            {
                break; // start of scan: image data follows
            }

            at += 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(at + 2));
        }

        return markers;
    }

    /// <summary>The chunk types of a PNG, in order.</summary>
    public static IReadOnlyList<string> PngChunks(byte[] png)
    {
        var chunks = new List<string>();
        for (var at = 8; at + 8 <= png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            chunks.Add(Encoding.ASCII.GetString(png, at + 4, 4));
            at += 12 + length;
        }

        return chunks;
    }

    /// <summary>Size, format and EXIF origin of encoded bytes, as a decoder sees them.</summary>
    public static (int Width, int Height, SKEncodedImageFormat Format, SKEncodedOrigin Origin) Inspect(byte[] bytes)
    {
        using var codec = SKCodec.Create(SKData.CreateCopy(bytes)) ?? throw new InvalidOperationException("not a picture");
        return (codec.Info.Width, codec.Info.Height, codec.EncodedFormat, codec.EncodedOrigin);
    }

    /// <summary>The colour at a point of the decoded picture.</summary>
    public static SKColor PixelAt(byte[] bytes, int x, int y)
    {
        using var bitmap = SKBitmap.Decode(bytes);
        return bitmap.GetPixel(x, y);
    }

    /// <summary>Whether <paramref name="text"/> appears in the bytes as ASCII.</summary>
    public static bool ContainsAscii(byte[] bytes, string text) => bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(text)) >= 0;

    private static byte[] Encode(int width, int height, SKEncodedImageFormat format, Action<SKCanvas> draw)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            draw(canvas);
        }

        using var data = bitmap.Encode(format, 90);
        return data.ToArray();
    }

    /// <summary>"Exif\0\0" and a big-endian TIFF: IFD0 (description, orientation, GPS pointer), the GPS IFD, their values.</summary>
    private static byte[] Exif(int orientation)
    {
        var description = Encoding.ASCII.GetBytes(Description + "\0");
        const int ifd0 = 8, gps = ifd0 + 2 + (3 * 12) + 4, rationals = gps + 2 + (2 * 12) + 4, text = rationals + 24;
        var tiff = new byte[text + description.Length];
        var span = tiff.AsSpan();
        "MM"u8.CopyTo(span);
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], 42);
        BinaryPrimitives.WriteUInt32BigEndian(span[4..], ifd0);

        BinaryPrimitives.WriteUInt16BigEndian(span[ifd0..], 3);
        Entry(span[(ifd0 + 2)..], 0x010E, 2, (uint)description.Length, text);         // ImageDescription
        Entry(span[(ifd0 + 14)..], 0x0112, 3, 1, (uint)orientation << 16);            // Orientation (SHORT, left-justified)
        Entry(span[(ifd0 + 26)..], 0x8825, 4, 1, gps);                                 // GPS IFD pointer

        BinaryPrimitives.WriteUInt16BigEndian(span[gps..], 2);
        Entry(span[(gps + 2)..], 0x0001, 2, 2, (uint)'N' << 24);                       // GPSLatitudeRef "N"
        Entry(span[(gps + 14)..], 0x0002, 5, 3, rationals);                            // GPSLatitude
        uint[] latitude = [38, 1, 2, 1, 1234, 100];
        for (var i = 0; i < latitude.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(span[(rationals + (4 * i))..], latitude[i]);
        }

        description.CopyTo(span[text..]);
        return [.. "Exif\0\0"u8, .. tiff];
    }

    private static void Entry(Span<byte> at, ushort tag, ushort type, uint count, uint value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(at, tag);
        BinaryPrimitives.WriteUInt16BigEndian(at[2..], type);
        BinaryPrimitives.WriteUInt32BigEndian(at[4..], count);
        BinaryPrimitives.WriteUInt32BigEndian(at[8..], value);
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        byte[] typed = [.. Encoding.ASCII.GetBytes(type), .. data];
        png.Write(typed);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        png.Write(crc);
    }

    /// <summary>The PNG chunk checksum (CRC-32, ISO 3309), bit by bit: the chunks here are tiny.</summary>
    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }
}
