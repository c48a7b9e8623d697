using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using MudBlazor;

namespace DezhiHub.Web.Components.Layout;

/// <summary>
/// The app theme's styles. Rendered interactively it is <see cref="MudThemeProvider"/> itself. Rendered statically
/// (sign-in, the QR landing pages a phone opens) it links <see cref="ThemeStylesheet"/>, the provider's output as one
/// cached stylesheet: no 13 kB of CSS variables in every page, and no provider whose dispose tries JS interop (which
/// throws, and is caught, on every static render).
/// </summary>
public sealed class ThemeStyles : ComponentBase
{
    private string? _href;

    [Inject]
    private ThemeStylesheet Stylesheet { get; set; } = default!;

    [Inject]
    private ILogger<ThemeStyles> Logger { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        if (RendererInfo.IsInteractive)
        {
            return;
        }

        try
        {
            _href = (await Stylesheet.GetAsync()).Href;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Never worse than the provider: this request gets it inline, a later one tries again.
            Logger.LogWarning(ex, "Rendering the theme stylesheet failed; using MudThemeProvider.");
        }
    }

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        if (_href is null)
        {
            builder.OpenComponent<MudThemeProvider>(0);
            builder.AddComponentParameter(1, nameof(MudThemeProvider.Theme), AppTheme.Theme);
            builder.CloseComponent();
        }
        else
        {
            builder.OpenElement(2, "link");
            builder.AddAttribute(3, "rel", "stylesheet");
            builder.AddAttribute(4, "href", _href);
            builder.CloseElement();
        }
    }
}
