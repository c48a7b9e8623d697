using System.Globalization;
using System.Security.Claims;
using Bunit.TestDoubles;
using Bunit;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Platform.Localization;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace DezhiHub.Tests.Components;

/// <summary>
/// A bUnit context set up like the app's interactive circuit: MudBlazor, the app's strings, and (optionally)
/// the real feature services on a test city of their own, served from one scope of a <see cref="FeatureHost"/>.
/// </summary>
public sealed class ComponentHost : IAsyncDisposable
{
    private readonly FeatureHost? _features;
    private readonly AsyncServiceScope? _scope;

    private ComponentHost(FeatureHost? features)
    {
        _features = features;
        Bunit = new BunitContext();
        Bunit.JSInterop.Mode = JSRuntimeMode.Loose;
        Bunit.Services.AddMudServices();
        Bunit.Services.AddDezhiHubLocalization();
        // UiFeedback shows its messages in MudBlazor's snackbar, which lives in this container, not the features'.
        Bunit.Services.AddScoped<DezhiHub.Web.Components.Shared.UiFeedback>();
        if (features is not null)
        {
            // One scope plays the circuit: scoped feature services live as long as the test, singletons
            // (the notification signal, the clock) are the same instances the test itself uses through Features.
            var scope = features.Services.CreateAsyncScope();
            _scope = scope;
            Bunit.Services.AddFallbackServiceProvider(scope.ServiceProvider);
            // MudBlazor registers the system clock in this container, which would win over the fallback: pages
            // would then judge "ended" or "open" by today's date while the services use the features' fake clock.
            Bunit.Services.AddSingleton<TimeProvider>(features.Clock);
        }

        // Signed out until SignIn; added up front because services cannot be added once the renderer exists.
        Auth = Bunit.AddAuthorization();
        Bunit.SetRendererInfo(new RendererInfo("Server", true));
    }

    public BunitContext Bunit { get; }

    public BunitAuthorizationContext Auth { get; }

    /// <summary>The feature services and database behind the components; only when created with them.</summary>
    public FeatureHost Features => _features ?? throw new InvalidOperationException("Created without feature services.");

    /// <summary>MudBlazor, localization and auth only: for components that need no app service.</summary>
    public static ComponentHost CreateBare() => new(null);

    /// <summary>The test city the components' data lives in; only when created with <see cref="CreateWithCityAsync"/>.</summary>
    public TestCity City { get => field ?? throw new InvalidOperationException("Created without a test city."); private set; }

    /// <summary>Also the app's feature services on an empty database with a <see cref="TestCity"/> in it.</summary>
    public static async Task<ComponentHost> CreateWithCityAsync()
    {
        var features = await FeatureHost.CreateAsync(demoData: false);
        return new ComponentHost(features) { City = await TestCity.CreateAsync(features) };
    }

    /// <summary>
    /// The text of a resource key in the current culture, formatted as the page formats it: what a component should
    /// show, so an assertion names the key and a change of wording does not break it (the copy itself is checked by
    /// <c>LocalizationTests</c> and the whole-app tiers).
    /// </summary>
    public string Text(string key, params object[] args) =>
        Bunit.Services.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<DezhiHub.Web.Resources.Strings>>()[key, args].Value;

    /// <summary>Signs <paramref name="principal"/> in for AuthorizeView and the cascading authentication state.</summary>
    public void SignIn(ClaimsPrincipal principal)
    {
        Auth.SetAuthorized(principal.Identity?.Name ?? "");
        Auth.SetRoles([.. principal.FindAll(ClaimTypes.Role).Select(c => c.Value)]);
        Auth.SetClaims([.. principal.Claims.Where(c => c.Type is not (ClaimTypes.Role or ClaimTypes.Name))]);
    }

    public async ValueTask DisposeAsync()
    {
        // Components first (they unsubscribe from singletons), then the services they used.
        await Bunit.DisposeAsync();
        if (_scope is { } scope)
        {
            await scope.DisposeAsync();
        }

        if (_features is not null)
        {
            await _features.DisposeAsync();
        }
    }
}

/// <summary>Sets the current (UI) culture for one test and puts the previous one back.</summary>
public sealed class CultureScope : IDisposable
{
    private readonly CultureInfo _culture = CultureInfo.CurrentCulture;
    private readonly CultureInfo _uiCulture = CultureInfo.CurrentUICulture;

    private CultureScope(string name)
    {
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(name);
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(name);
    }

    public static CultureScope Use(string name) => new(name);

    public void Dispose()
    {
        CultureInfo.CurrentCulture = _culture;
        CultureInfo.CurrentUICulture = _uiCulture;
    }
}
