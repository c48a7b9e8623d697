using System.Globalization;
using System.Text;
using DezhiHub.Domain.Market;
using DezhiHub.Web.Features.CheckIn;
using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web.Platform.Signing;
using MudBlazor;

namespace DezhiHub.Web.Features.Market;

/// <summary>Small pieces of market pages shared by several of them.</summary>
public static class MarketText
{
    public static Color StatusColor(RedemptionStatus status) => status switch
    {
        RedemptionStatus.Pending => Color.Primary,
        RedemptionStatus.Fulfilled => Color.Success,
        RedemptionStatus.Cancelled => Color.Default,
        _ => Color.Warning,
    };

    /// <summary>The voucher's QR code as an image source: QRCoder's SVG in a data URI, never markup built from text.</summary>
    public static string QrSource(string baseUri, string token)
    {
        var svg = QrImages.Svg(VoucherUrl(baseUri, token));
        return "data:image/svg+xml;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(svg));
    }

    /// <summary>The absolute URL a voucher's QR code holds.</summary>
    public static string VoucherUrl(string baseUri, string token) => $"{baseUri.TrimEnd('/')}{Vouchers.PathPrefix}{token}";

    /// <summary>The last day a validity end (exclusive, UTC) still includes, as a local date.</summary>
    public static DateTime LastDay(DisplayTime time, DateTime exclusiveEndUtc) => time.ToLocal(exclusiveEndUtc).AddTicks(-1).Date;

    public static string Date(DateTime local) => DateText.Date(local);

    public static string Stamp(DisplayTime time, DateTime utc) => time.FormatDateTime(utc);

    /// <summary>A calendar month as people name it: "2026年11月", "November 2026".</summary>
    public static string Month(int year, int month) => DateText.Month(year, month);
}
