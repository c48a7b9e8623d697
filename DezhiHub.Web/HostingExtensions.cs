using System.Net;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using DezhiHub.Web.Components.Layout;
using DezhiHub.Web.Components;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Activities;
using DezhiHub.Web.Features.Auditing;
using DezhiHub.Web.Features.Calendar;
using DezhiHub.Web.Features.Certificates;
using DezhiHub.Web.Features.CheckIn;
using DezhiHub.Web.Features.Coverage;
using DezhiHub.Web.Features.Home;
using DezhiHub.Web.Features.Leaderboards;
using DezhiHub.Web.Features.Market;
using DezhiHub.Web.Features.Notifications;
using DezhiHub.Web.Features.Organization;
using DezhiHub.Web.Features.Users;
using DezhiHub.Web.Features.Volunteering;
using DezhiHub.Web.Features.Weddings;
using DezhiHub.Web.Platform.Http;
using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web.Platform.Scheduling;
using DezhiHub.Web.Platform;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.WebEncoders;
using MudBlazor.Services;
using MudBlazor;

namespace DezhiHub.Web;

/// <summary>The app's composition: services by area, then the request pipeline.</summary>
public static class HostingExtensions
{
    public static WebApplicationBuilder AddDezhiHub(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddDezhiHubOptions(builder.Configuration);
        services.AddSingleton(TimeProvider.System);

        services.AddRazorComponents().AddInteractiveServerComponents();
        // Chinese text goes out as UTF-8, not as &#x...; entities: a third of the bytes on a weak phone connection.
        services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.AddMudServices(config =>
        {
            config.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomCenter;
            config.SnackbarConfiguration.PreventDuplicates = true;
        });
        services.AddDezhiHubLocalization();
        services.AddTransient<MudLocalizer, AppMudLocalizer>();
        services.Configure<RequestLocalizationOptions>(options =>
        {
            // Chinese unless the person chose English (a cookie); the browser's language is not consulted.
            options.SetDefaultCulture(Cultures.Default).AddSupportedCultures([.. Cultures.Supported]).AddSupportedUICultures([.. Cultures.Supported]);
            options.RequestCultureProviders = [new CookieRequestCultureProvider()];
        });

        services.AddDezhiHubData();
        services.AddDezhiHubModules();
        services.AddDezhiHubRateLimits();
        var configuration = builder.Configuration;
        services.AddDezhiHubScheduler(configuration, quartz => quartz
            .ScheduleActivities(configuration)
            .ScheduleVolunteering(configuration)
            .ScheduleAccounts(configuration)
            .ScheduleMarket(configuration)
            .ScheduleWeddings(configuration));
        services.AddExceptionHandler<AppExceptionHandler>();
        return builder;
    }

    /// <summary>The "DezhiHub" section, checked at start: a wrong value stops the app with one line naming it.</summary>
    public static IServiceCollection AddDezhiHubOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DezhiHubOptions>().Bind(configuration.GetSection(DezhiHubOptions.Section))
            .Validate(o => TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone, out _), "DezhiHub:TimeZone is not a known time zone id.")
            .Validate(
                o => Uri.TryCreate(o.PublicBaseUrl ?? "http://unset/", UriKind.Absolute, out var u) && u.Scheme is "http" or "https" && u.Query.Length == 0,
                "DezhiHub:PublicBaseUrl must be an absolute http(s) URL such as https://dezhi.example.gov.cn/.")
            .Validate(o => o.KnownProxies.All(p => ParseProxy(p) is not null), "DezhiHub:KnownProxies holds an entry that is neither an IP address nor a network such as 10.0.0.0/24.")
            .ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<DezhiHubOptions>>((forwarded, app) =>
        {
            // The client's address (rate limits, logs) and scheme (links, QR codes, secure cookies) as the proxy saw
            // them; the Host header is the proxy's to pass on (deploy/nginx/dezhihub.conf sets it), so X-Forwarded-Host
            // is not believed.
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in app.Value.KnownProxies.Select(ParseProxy))
            {
                forwarded.KnownIPNetworks.Add(proxy!.Value);
            }
        });
        return services;
    }

    /// <summary>"10.0.0.5" (one address) or "10.0.0.0/24" (a network); null when it is neither.</summary>
    private static System.Net.IPNetwork? ParseProxy(string value) =>
        System.Net.IPNetwork.TryParse(value, out var network) ? network
        : IPAddress.TryParse(value, out var address) ? new System.Net.IPNetwork(address, address.GetAddressBytes().Length * 8)
        : null;

    /// <summary>
    /// What the app is made of: the platform's building blocks, then one line per capability module
    /// (<c>Features/&lt;Capability&gt;/&lt;Capability&gt;Module.cs</c>). Tests and benches compose their hosts from this too.
    /// </summary>
    public static IServiceCollection AddDezhiHubModules(this IServiceCollection services)
    {
        services.AddPlatform()
            .AddAccounts()
            .AddOrganization()
            .AddUsers()
            .AddNotifications()
            .AddAuditLog()
            .AddHome()
            .AddActivities()
            .AddCheckIn()
            .AddVolunteering()
            .AddCertificates()
            .AddCoverage()
            .AddLeaderboards()
            .AddCalendar()
            .AddMarket()
            .AddWeddings();
        // The shell (layout, snackbar feedback) and the demo city.
        services.AddSingleton<Components.Layout.ThemeStylesheet>();
        services.AddScoped<Components.Shared.UiFeedback>();
        services.AddScoped<DemoDataSeeder>();
        return services;
    }

    public static WebApplication UseDezhiHub(this WebApplication app)
    {
        // Before anything reads the client's address or scheme; only from the configured proxies.
        if (app.Services.GetRequiredService<IOptions<DezhiHubOptions>>().Value.KnownProxies.Length > 0)
        {
            app.UseForwardedHeaders();
        }

        // First, so error pages and every download carry the headers too.
        app.UseSecurityHeaders();
        app.UseNoNewCircuitsWhileStopping();
        // Users never see a stack trace, in any environment: errors go to the friendly page.
        app.UseExceptionHandler("/error", createScopeForErrors: true);
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseRequestLocalization();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseExpiredFormRedirect();

        app.MapStaticAssets();
        app.MapPlatform();
        app.MapThemeEndpoints();
        app.MapAccounts();
        app.MapUsers();
        app.MapCoverage();
        app.MapLeaderboards();
        app.MapActivities();
        app.MapCalendar();
        app.MapMarket();
        app.MapWeddings();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
