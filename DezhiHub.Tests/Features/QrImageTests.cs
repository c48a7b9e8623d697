using DezhiHub.Domain.Activities;
using DezhiHub.Web.Features.CheckIn;
using DezhiHub.Web.Platform.Signing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using StbImageSharp;
using ZXing.Common;
using ZXing;

namespace DezhiHub.Tests.Features;

/// <summary>The QR images decode, with an independent decoder (ZXing), to exactly what was encoded.</summary>
public sealed class QrImageTests
{
    [Fact]
    public void ACheckInUrl_WithASignedToken_ComesBackFromThePng()
    {
        var tokens = new CheckInTokens(KeyFor(), new FakeTimeProvider(DateTimeOffset.UtcNow));
        var url = $"https://dezhihub.example.cn/checkin/{tokens.Issue(4711, CheckInPurpose.CheckIn)}";

        var decoded = Decode(QrImages.Png(url));

        Assert.Equal(url, decoded);
        Assert.Equal(TokenCheck.Valid, tokens.Verify(decoded.Split('/')[^1], out var activityId, out _));
        Assert.Equal(4711, activityId);
    }

    [Fact]
    public void TheSvg_DecodesToTheText()
    {
        const string url = "https://dezhihub.example.cn/checkin/AbCdEf0123456789";
        var svg = QrImages.Svg(url);
        Assert.StartsWith("<svg", svg, StringComparison.Ordinal);

        Assert.Equal(url, Decode(Rasterize(svg)));
    }

    /// <summary>
    /// The SVG drawn the plain way a browser draws it: its white background, then each run of dark modules of its path
    /// ("M4 4h7v1h-7z": from x 4, y 4, seven modules wide, one high) filled, four pixels to a module.
    /// </summary>
    private static (byte[] Pixels, int Width, int Height) Rasterize(string svg)
    {
        const int Scale = 4;
        var root = System.Xml.Linq.XDocument.Parse(svg).Root!;
        var box = ((string)root.Attribute("viewBox")!).Split(' ').Select(v => int.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var (width, height) = (box[2] * Scale, box[3] * Scale);
        var pixels = Enumerable.Repeat((byte)255, width * height * 3).ToArray();
        var path = (string)root.Elements().Single(e => e.Name.LocalName == "path").Attribute("d")!;
        var runs = System.Text.RegularExpressions.Regex.Matches(path, @"M(\d+) (\d+)h(\d+)v(\d+)h-\d+z");
        Assert.True(runs.Count > 50, $"only {runs.Count} runs of dark modules in the path");
        foreach (System.Text.RegularExpressions.Match run in runs)
        {
            int N(int group) => int.Parse(run.Groups[group].Value, System.Globalization.CultureInfo.InvariantCulture);
            var (x0, y0, w, h) = (N(1), N(2), N(3), N(4));
            for (var y = y0 * Scale; y < (y0 + h) * Scale; y++)
            {
                Array.Fill(pixels, (byte)0, ((y * width) + (x0 * Scale)) * 3, w * Scale * 3);
            }
        }

        return (pixels, width, height);
    }

    private static string Decode((byte[] Pixels, int Width, int Height) image) =>
        Decode(new RGBLuminanceSource(image.Pixels, image.Width, image.Height, RGBLuminanceSource.BitmapFormat.RGB24));

    private static string Decode(byte[] png)
    {
        var image = ImageResult.FromMemory(png, ColorComponents.RedGreenBlue);
        return Decode(new RGBLuminanceSource(image.Data, image.Width, image.Height, RGBLuminanceSource.BitmapFormat.RGB24));
    }

    private static string Decode(LuminanceSource source)
    {
        var result = new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(source)), new Dictionary<DecodeHintType, object>
        {
            [DecodeHintType.POSSIBLE_FORMATS] = new[] { BarcodeFormat.QR_CODE },
            [DecodeHintType.TRY_HARDER] = true,
        });
        return result?.Text ?? throw new InvalidOperationException("ZXing found no QR code in the image.");
    }

    private static CheckInKeyStore KeyFor()
    {
        var configured = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [CheckInKeyStore.ConfigurationKey] = configured })
            .Build();
        return new CheckInKeyStore(configuration, new Microsoft.Extensions.DependencyInjection.ServiceCollection().BuildServiceProvider());
    }
}
