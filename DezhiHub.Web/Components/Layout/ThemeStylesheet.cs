using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using System.Text;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace DezhiHub.Web.Components.Layout;

/// <summary>
/// The app theme's styles (what <see cref="MudThemeProvider"/> writes into its style elements: scrollbar, chart and the
/// CSS variables of <see cref="AppTheme.Theme"/>) as one stylesheet, for the statically rendered pages. A phone that
/// scans a code downloads it once and caches it: inline, its 13 kB were two thirds of every scan page, and building it
/// was the largest single cost of the check-in page. Rendered once per culture by the provider itself, so it is exactly
/// what the interactive pages get; versioned by a hash of its text.
/// </summary>
public sealed partial class ThemeStylesheet(IServiceScopeFactory scopeFactory, ILoggerFactory loggerFactory)
{
    /// <summary>Where it is served (<see cref="Components.Layout.ThemeEndpoints"/>).</summary>
    public const string Path = "/theme.css";

    private readonly ConcurrentDictionary<string, Lazy<Task<Sheet>>> _byCulture = new(StringComparer.Ordinal);

    /// <summary>The CSS and its version (the first 64 bits of its SHA-256, hex).</summary>
    public sealed record Sheet(string Css, string Version)
    {
        /// <summary>The address a page links: a new theme is a new address, so browsers may cache it for good.</summary>
        public string Href => $"{Path}?v={Version}";
    }

    /// <summary>The stylesheet of the current culture; rendered on first use. Throws if the provider's output is not plain styles.</summary>
    public async Task<Sheet> GetAsync()
    {
        var key = $"{CultureInfo.CurrentCulture.Name}|{CultureInfo.CurrentUICulture.Name}";
        var entry = _byCulture.GetOrAdd(key, _ => new Lazy<Task<Sheet>>(RenderAsync));
        try
        {
            return await entry.Value;
        }
        catch
        {
            // Not cached when it failed: the next request tries again.
            _byCulture.TryRemove(KeyValuePair.Create(key, entry));
            throw;
        }
    }

    private async Task<Sheet> RenderAsync()
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, loggerFactory);
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var parameters = ParameterView.FromDictionary(new Dictionary<string, object?> { [nameof(MudThemeProvider.Theme)] = AppTheme.Theme });
            var output = await renderer.RenderComponentAsync<MudThemeProvider>(parameters);
            return output.ToHtmlString();
        });

        return FromProviderHtml(html);
    }

    /// <summary>The contents of the provider's style elements, in order; anything else in its output is an error.</summary>
    internal static Sheet FromProviderHtml(string html)
    {
        var styles = StyleElement().Matches(html);
        if (styles.Count == 0 || !string.IsNullOrWhiteSpace(StyleElement().Replace(html, "")))
        {
            throw new InvalidOperationException("MudThemeProvider rendered something other than style elements; its output cannot be served as a stylesheet.");
        }

        var css = string.Join('\n', styles.Select(m => m.Groups[1].Value.Trim()));
        var version = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(css)).AsSpan(0, 8));
        return new Sheet(css, version);
    }

    [GeneratedRegex("<style[^>]*>(.*?)</style>", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex StyleElement();
}
