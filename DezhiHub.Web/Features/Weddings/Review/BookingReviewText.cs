using System.Globalization;
using DezhiHub.Domain.Weddings;
using DezhiHub.Web.Platform.Localization;
using MudBlazor;

namespace DezhiHub.Web.Features.Weddings;

/// <summary>Small pieces shared by the staff pages of bookings: the review queue and the voucher page.</summary>
public static class BookingReviewText
{
    /// <summary>Within this many hours of its review deadline a request is marked as due soon.</summary>
    public const int DueSoonHours = 24;

    /// <summary>"12月12日 周六 09:00–13:00": the slot's local day and times, as staff read them at the door.</summary>
    public static string Slot(DisplayTime time, DateTime startUtc, DateTime endUtc) => time.FormatSpan(startUtc, endUtc);

    public static string Stamp(DisplayTime time, DateTime utc) => time.FormatDateTime(utc);

    public static string Clock(DisplayTime time, DateTime utc) => time.FormatTime(utc);

    public static Color StatusColor(BookingStatus status) => status switch
    {
        BookingStatus.Requested => Color.Warning,
        BookingStatus.Approved => Color.Primary,
        BookingStatus.Completed => Color.Success,
        BookingStatus.NoShow => Color.Error,
        _ => Color.Default,
    };
}
