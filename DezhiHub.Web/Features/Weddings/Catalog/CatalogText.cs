using System.Globalization;
using DezhiHub.Domain.Weddings;
using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web.Resources;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace DezhiHub.Web.Features.Weddings;

/// <summary>Small pieces of the catalogue pages: icons and one-line summaries of a service.</summary>
public static class CatalogText
{
    public static string KindIcon(WeddingServiceKind kind) => kind switch
    {
        WeddingServiceKind.CeremonyHall => Icons.Material.Outlined.Celebration,
        WeddingServiceKind.FolkSteward => Icons.Material.Outlined.EmojiPeople,
        WeddingServiceKind.RegistrationAppointment => Icons.Material.Outlined.AssignmentInd,
        WeddingServiceKind.AlliancePackage => Icons.Material.Outlined.Handshake,
        _ => Icons.Material.Outlined.FamilyRestroom,
    };

    /// <summary>"周一至周五 08:30–17:00" style: the open weekdays and, when they all share them, their hours.</summary>
    public static string Schedule(IStringLocalizer<Strings> strings, ManagedResource resource)
    {
        if (resource.SessionCount > 0)
        {
            return strings["WeddingCatalog.SessionCount", resource.SessionCount];
        }

        var hours = resource.Hours;
        var open = Enumerable.Range(0, 7).Where(i => hours[i] is not null).ToList();
        if (open.Count == 0)
        {
            return strings["WeddingCatalog.NoHours"];
        }

        var names = CultureInfo.CurrentCulture.DateTimeFormat;
        var days = open.Count == 7 ? strings["WeddingCatalog.EveryDay"].Value
            : string.Join(ListSeparator, open.Select(i => names.GetAbbreviatedDayName((DayOfWeek)((i + 1) % 7))));
        var spans = open.Select(i => hours[i]!.Value).Distinct().ToList();
        return spans.Count == 1
            ? $"{days} {DateText.Time(spans[0].Open)}–{DateText.Time(spans[0].Close)}"
            : days;
    }

    /// <summary>"每时段 4 小时，间隔 30 分钟" / "4 h slots, 30 min between".</summary>
    public static string Slots(IStringLocalizer<Strings> strings, ManagedResource resource) =>
        resource.SessionCount > 0 ? ""
        : resource.BufferMinutes > 0
            ? strings["WeddingCatalog.SlotLengthWithBuffer", Duration(strings, resource.SlotMinutes), Duration(strings, resource.BufferMinutes)]
            : strings["WeddingCatalog.SlotLength", Duration(strings, resource.SlotMinutes)];

    /// <summary>"4 小时", "1.5 小时", "30 分钟".</summary>
    public static string Duration(IStringLocalizer<Strings> strings, int minutes) =>
        minutes < 60
            ? strings["WeddingCatalog.DurationMinutes", minutes]
            : strings["WeddingCatalog.DurationHours", (minutes / 60.0).ToString("0.#", CultureInfo.CurrentCulture)];

    /// <summary>"09:30", or nothing for no time: an opening hour in the hours editor.</summary>
    public static string Time(TimeOnly? time) => time is { } t ? DateText.Time(t) : "";

    /// <summary>"09:00–11:30": a slot as the preview shows it.</summary>
    public static string Slot(LocalSlot slot) => $"{Time(TimeOnly.FromDateTime(slot.Start))}–{Time(TimeOnly.FromDateTime(slot.End))}";

    private static string ListSeparator => CultureInfo.CurrentCulture.TwoLetterISOLanguageName == "zh" ? "、" : ", ";
}
