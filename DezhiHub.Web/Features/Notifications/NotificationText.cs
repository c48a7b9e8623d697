using DezhiHub.Web.Resources;
using Microsoft.Extensions.Localization;

namespace DezhiHub.Web.Features.Notifications;

public static class NotificationText
{
    /// <summary>
    /// The message in the reader's language. An argument starting with "@" is itself a comma-separated list of
    /// resource keys (e.g. "@Role.Admin,Role.Organizer"), localized and joined.
    /// </summary>
    public static string Render(IStringLocalizer<Strings> strings, string messageKey, IReadOnlyList<string> args)
    {
        var values = args.Select(a => a.StartsWith('@')
            ? string.Join(strings["List.Separator"], a[1..].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(k => strings[k].Value))
            : a).ToArray<object>();
        return strings[messageKey, values];
    }
}
