using DezhiHub.Domain.Weddings;
using DezhiHub.Domain;
using DezhiHub.Web.Resources;
using Microsoft.Extensions.Localization;

namespace DezhiHub.Web.Platform.Localization;

/// <summary>
/// A <see cref="DomainException"/> in the reader's language. Its arguments are usually names, dates and numbers shown as
/// they are; a state the domain names (an enum value) is translated too, so a Chinese page never says "Declined".
/// </summary>
public static class Refusals
{
    // Enum types whose values have labels, and the prefix of those labels' keys.
    private static readonly Dictionary<Type, string> Labels = new()
    {
        [typeof(BookingStatus)] = "Booking.Status",
    };

    public static LocalizedString Refusal(this IStringLocalizer<Strings> strings, DomainException refusal) =>
        strings.Refusal(refusal.Code, refusal.Args);

    public static LocalizedString Refusal(this IStringLocalizer<Strings> strings, string code, IEnumerable<object> args) =>
        strings[code, [.. args.Select(a => Label(strings, a))]];

    private static object Label(IStringLocalizer<Strings> strings, object arg) =>
        arg is Enum value && Labels.TryGetValue(value.GetType(), out var prefix) ? strings[$"{prefix}.{value}"].Value : arg;
}
