using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace DezhiHub.Web.Components.Layout;

/// <summary>
/// The app theme's styles, exactly what <see cref="MudThemeProvider"/> writes (scrollbar, chart and the CSS variables
/// of <see cref="AppTheme.Theme"/>). Rendered interactively it is the provider itself. Rendered statically (sign-in, the
/// QR landing pages a phone opens) the provider's own output is rendered once per culture and reused: building a
/// MudTheme and 13 kB of CSS variables on every request was the largest single cost of the check-in page, and the
/// provider's dispose tries JS interop, which throws (and is caught) on every static render.
/// </summary>
public sealed class ThemeStyles : ComponentBase
{
    private static readonly ConcurrentDictionary<string, string> Rendered = new(StringComparer.Ordinal);

    private bool _static;
    private string? _markup;

    [Inject]
    private IServiceScopeFactory ScopeFactory { get; set; } = default!;

    [Inject]
    private ILoggerFactory LoggerFactory { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        if (RendererInfo.IsInteractive)
        {
            return;
        }

        var key = $"{CultureInfo.CurrentCulture.Name}|{CultureInfo.CurrentUICulture.Name}";
        if (Rendered.TryGetValue(key, out var markup))
        {
            _static = true;
            _markup = markup;
            return;
        }

        try
        {
            _markup = Rendered.GetOrAdd(key, await RenderProviderAsync());
            _static = true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Never worse than before: this request gets the provider itself, a later one tries again.
            LoggerFactory.CreateLogger<ThemeStyles>().LogWarning(ex, "Rendering the theme styles once failed; using MudThemeProvider.");
        }
    }

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        if (!_static)
        {
            builder.OpenComponent<MudThemeProvider>(0);
            builder.AddComponentParameter(1, nameof(MudThemeProvider.Theme), AppTheme.Theme);
            builder.CloseComponent();
        }
        else
        {
            builder.AddMarkupContent(2, _markup);
        }
    }

    /// <summary>The provider's static output, from a renderer of its own (the theme is a constant of the app).</summary>
    private async Task<string> RenderProviderAsync()
    {
        await using var scope = ScopeFactory.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, LoggerFactory);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var parameters = ParameterView.FromDictionary(new Dictionary<string, object?> { [nameof(MudThemeProvider.Theme)] = AppTheme.Theme });
            var output = await renderer.RenderComponentAsync<MudThemeProvider>(parameters);
            return output.ToHtmlString();
        });
    }
}
