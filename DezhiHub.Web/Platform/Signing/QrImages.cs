using QRCoder;

namespace DezhiHub.Web.Platform.Signing;

/// <summary>QR images (QRCoder) for the check-in screen and volunteer cards: PNG bytes or an SVG string.</summary>
public static class QrImages
{
    /// <summary>
    /// Medium error correction survives a glare or a scratched tablet screen; a quiet zone of four modules is what
    /// phone scanners expect.
    /// </summary>
    public static byte[] Png(string text, int pixelsPerModule = 10)
    {
        using var data = QRCodeGenerator.GenerateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(pixelsPerModule);
    }

    /// <summary>A scalable image for the projector; crisp at any size.</summary>
    public static string Svg(string text)
    {
        using var data = QRCodeGenerator.GenerateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(8);
    }
}
