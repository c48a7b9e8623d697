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
    public void TheSvg_IsAnSvgImage() => Assert.StartsWith("<svg", QrImages.Svg("https://dezhihub.example.cn/x"), StringComparison.Ordinal);

    private static string Decode(byte[] png)
    {
        var image = ImageResult.FromMemory(png, ColorComponents.RedGreenBlue);
        var source = new RGBLuminanceSource(image.Data, image.Width, image.Height, RGBLuminanceSource.BitmapFormat.RGB24);
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
