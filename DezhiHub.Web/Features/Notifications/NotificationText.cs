using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web.Resources;
using Microsoft.Extensions.Localization;

namespace DezhiHub.Web.Features.Notifications;

public static class NotificationText
{
    private const string TimePrefix = "@t:";
    private const string DatePrefix = "@d:";

    /// <summary>A time as a notification stores it, so that it reads in the reader's language and format when shown.</summary>
    public static string Time(DateTime utc) => TimePrefix + DateText.UtcStamp(utc);

    /// <summary>A date as a notification stores it (ISO), shown in the reader's language.</summary>
    public static string Date(DateOnly date) => DatePrefix + DateText.Iso(date);

    /// <summary>
    /// The message in the reader's language. An argument starting with "@t:" or "@d:" is a stored time or date (see
    /// <see cref="Time"/>), shown as <see cref="DateText"/> writes them; any other starting with "@" is a
    /// comma-separated list of resource keys (e.g. "@Role.Admin,Role.Organizer"), localized and joined.
    /// </summary>
    public static string Render(IStringLocalizer<Strings> strings, DisplayTime time, string messageKey, IReadOnlyList<string> args)
    {
        var values = args.Select(a => Value(strings, time, a)).ToArray<object>();
        return strings[messageKey, values];
    }

    private static string Value(IStringLocalizer<Strings> strings, DisplayTime time, string arg) => arg switch
    {
        _ when arg.StartsWith(TimePrefix, StringComparison.Ordinal) && DateText.ParseUtcStamp(arg[TimePrefix.Length..]) is { } utc => time.FormatDateTime(utc),
        _ when arg.StartsWith(DatePrefix, StringComparison.Ordinal) && DateText.ParseIso(arg[DatePrefix.Length..]) is { } date => DateText.Date(date),
        _ when arg.StartsWith('@') => string.Join(strings["List.Separator"], arg[1..].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(k => strings[k].Value)),
        _ => arg,
    };
}
