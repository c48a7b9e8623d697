using System.Globalization;
using System.Text;
using DezhiHub.Domain.Weddings;
using DezhiHub.Web.Features.Activities;
using DezhiHub.Web.Features.CheckIn;
using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web.Platform.Signing;
using DezhiHub.Web.Resources;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace DezhiHub.Web.Features.Weddings;

/// <summary>Links, labels and small formats shared by the resident's wedding pages (hub, calendar, booking, my bookings).</summary>
public static class BookingPageText
{
    /// <summary>A slot's start in a booking link: UTC, "yyyyMMddTHHmm", the same in every culture.</summary>
    public const string SlotKeyFormat = DateText.SlotKeyFormat;

    /// <summary>How many days the calendar shows per page.</summary>
    public const int DaysPerPage = 14;

    public static string SlotKey(DateTime startUtc) => startUtc.ToString(SlotKeyFormat, CultureInfo.InvariantCulture);

    public static bool TryParseSlotKey(string? text, out DateTime startUtc)
    {
        var ok = DateTime.TryParseExact(text, SlotKeyFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out startUtc);
        startUtc = DateTime.SpecifyKind(startUtc, DateTimeKind.Utc);
        return ok;
    }

    public static string BookPath(int resourceId, DateTime startUtc) =>
        string.Create(CultureInfo.InvariantCulture, $"/weddings/book/{resourceId}/{SlotKey(startUtc)}");

    public static string ServicePath(int resourceId, DateOnly? from = null) => from is { } day
        ? $"/weddings/services/{resourceId}?from={DateText.Iso(day)}"
        : string.Create(CultureInfo.InvariantCulture, $"/weddings/services/{resourceId}");

    public static string SignInPath(string returnUrl) => $"/account/login?returnUrl={Uri.EscapeDataString(returnUrl)}";

    public static string Icon(WeddingServiceKind kind) => kind switch
    {
        WeddingServiceKind.CeremonyHall => Icons.Material.Outlined.AccountBalance,
        WeddingServiceKind.FolkSteward => Icons.Material.Outlined.RecordVoiceOver,
        WeddingServiceKind.RegistrationAppointment => Icons.Material.Outlined.AssignmentInd,
        WeddingServiceKind.AlliancePackage => Icons.Material.Outlined.CardGiftcard,
        _ => Icons.Material.Outlined.FamilyRestroom,
    };

    public static Color StatusColor(BookingStatus status) => status switch
    {
        BookingStatus.Requested => Color.Warning,
        BookingStatus.Approved or BookingStatus.Completed => Color.Success,
        BookingStatus.Declined or BookingStatus.NoShow => Color.Error,
        BookingStatus.InLottery => Color.Secondary,
        _ => Color.Default,
    };

    /// <summary>"120 座 · 限价 ¥9999 · 提供方：喜乐婚庆" — what sets a service apart, in one line.</summary>
    public static string Facts(IStringLocalizer<Strings> l, ServiceSummary s)
    {
        var parts = new List<string>();
        if (s.Seats is { } seats)
        {
            parts.Add(l["WeddingHub.Seats", seats]);
        }

        if (s.PriceCapYuan is { } cap)
        {
            parts.Add(l["WeddingHub.PriceCap", cap]);
        }

        if (s.Counsellor is { Length: > 0 } counsellor)
        {
            parts.Add(l["WeddingHub.Counsellor", counsellor]);
        }

        if (s.ProviderName is { Length: > 0 } provider)
        {
            parts.Add(l["WeddingHub.Provider", provider]);
        }

        if (!s.Kind.IsExclusive())
        {
            parts.Add(l["WeddingHub.PlacesPerSlot", s.Capacity]);
        }

        return string.Join(" · ", parts);
    }

    /// <summary>"4 小时", "30 分钟", "2 小时 30 分钟".</summary>
    public static string Duration(IStringLocalizer<Strings> l, int minutes) => (minutes / 60, minutes % 60) switch
    {
        (0, var m) => l["WeddingHub.Minutes", m],
        (var h, 0) => l["WeddingHub.HoursOnly", h],
        (var h, var m) => l["WeddingHub.HoursMinutes", h, m],
    };

    /// <summary>A slot's time on its day: "09:00" for short ones, "08:00–12:00" otherwise.</summary>
    public static string SlotTime(DisplayTime time, DateTime startUtc, DateTime endUtc, int slotMinutes)
    {
        var start = time.ToLocal(startUtc);
        return slotMinutes <= 60 ? DateText.Time(start) : DateText.TimeRange(start, time.ToLocal(endUtc));
    }

    /// <summary>A deadline or review date: "2026年12月3日 08:00", "Dec 3, 2026, 08:00".</summary>
    public static string Moment(DisplayTime time, DateTime utc) => time.FormatDateTime(utc);

    /// <summary>The absolute URL a booking voucher's QR code holds.</summary>
    public static string VoucherUrl(string baseUri, string token) => baseUri.TrimEnd('/') + BookingVouchers.PathPrefix + token;

    /// <summary>The voucher's QR code as an image source: QRCoder's SVG in a data URI, never markup built from text.</summary>
    public static string QrSource(string baseUri, string token) =>
        "data:image/svg+xml;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(QrImages.Svg(VoucherUrl(baseUri, token))));
}
