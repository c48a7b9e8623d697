using System.Globalization;
using DezhiHub.Web.Resources;
using Microsoft.Extensions.Localization;

namespace DezhiHub.Web.Platform.Localization;

/// <summary>
/// The app's texts (<see cref="Strings"/>) with English plurals: a text may write a count as
/// <c>{0:plural:# day|# days}</c> ("1 day", "3 days"; <c>#</c> is the number). Chinese texts have no plural and keep
/// <c>{0}</c>. Arguments are passed on in a wrapper that understands that format and formats exactly as before
/// otherwise; "one" is a value equal to 1 (a number, or a string such as "1").
/// </summary>
public sealed class AppStrings(IStringLocalizerFactory factory) : IStringLocalizer<Strings>
{
    private const string PluralFormat = "plural:";

    private readonly IStringLocalizer _inner = factory.Create(typeof(Strings));

    public LocalizedString this[string name] => _inner[name];

    public LocalizedString this[string name, params object[] arguments] => _inner[name, [.. arguments.Select(Wrap)!]];

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => _inner.GetAllStrings(includeParentCultures);

    // Every argument is wrapped, so a plural format never drops its noun whatever the argument's type (a stored
    // notification carries its numbers as strings); any other format is passed on unchanged.
    private static object? Wrap(object? argument) => argument is null ? null : new Count(argument);

    /// <summary>An argument that can also choose its noun's form.</summary>
    private sealed class Count(object value) : IFormattable
    {
        public string ToString(string? format, IFormatProvider? formatProvider)
        {
            if (format is null || !format.StartsWith(PluralFormat, StringComparison.Ordinal))
            {
                return Format(format, formatProvider);
            }

            var forms = format[PluralFormat.Length..].Split('|');
            var form = forms.Length > 1 && !IsOne() ? forms[1] : forms[0];
            return form.Replace("#", Format(null, formatProvider), StringComparison.Ordinal);
        }

        public override string ToString() => Format(null, CultureInfo.CurrentCulture);

        private string Format(string? format, IFormatProvider? provider) =>
            value is IFormattable formattable ? formattable.ToString(format, provider) : value.ToString() ?? "";

        private bool IsOne() => value switch
        {
            int or long or short or byte or decimal or double or float => Convert.ToDecimal(value, CultureInfo.InvariantCulture) == 1m,
            string s => s.Trim() == "1",
            _ => false,
        };
    }
}

public static class LocalizationServiceCollectionExtensions
{
    /// <summary>Resource-file localization, with the app's texts served by <see cref="AppStrings"/>.</summary>
    public static IServiceCollection AddDezhiHubLocalization(this IServiceCollection services)
    {
        services.AddLocalization();
        // A closed registration wins over the open-generic localizer AddLocalization registers.
        services.AddTransient<IStringLocalizer<Strings>, AppStrings>();
        return services;
    }
}
