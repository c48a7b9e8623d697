using System.Net;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.Extensions.WebEncoders;
using System.Threading.RateLimiting;
using DezhiHub.Web.Components;
using DezhiHub.Web.Data;
using DezhiHub.Web.Endpoints;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Auditing;
using DezhiHub.Web.Features.Calendar;
using DezhiHub.Web.Features.Certificates;
using DezhiHub.Web.Features.Home;
using DezhiHub.Web.Features.Localization;
using DezhiHub.Web.Features.Market;
using DezhiHub.Web.Features.Weddings;
using DezhiHub.Web.Features.Notifications;
using DezhiHub.Web.Features.Organization;
using DezhiHub.Web.Features.Users;
using DezhiHub.Web.Jobs;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Localization;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using MudBlazor;
using MudBlazor.Services;

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
        services.AddDezhiHubAccounts();
        services.AddDezhiHubFeatures();
        services.AddDezhiHubRateLimits();
        services.AddDezhiHubCalendar(builder.Configuration);
        services.AddDezhiHubJobs(builder.Configuration);
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

    public static IServiceCollection AddDezhiHubFeatures(this IServiceCollection services)
    {
        services.AddSingleton<DisplayTime>();
        services.AddSingleton<PublicBaseUrl>();
        services.AddSingleton<Components.Layout.ThemeStylesheet>();
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<Features.Live.LiveChanges>();
        services.AddSingleton<IInterceptor, Features.Live.LiveSaveInterceptor>();
        services.AddHostedService<Data.PostgreSQL.PostgresChangeListener>();
        services.AddScoped<NotificationService>();
        services.AddScoped<OrgAccess>();
        services.AddScoped<OrgTreeService>();
        services.AddScoped<UserAdminService>();
        services.AddScoped<Features.Coverage.CoverageService>();
        services.AddScoped<Features.Leaderboards.LeaderboardService>();
        services.AddScoped<AuditLogQuery>();
        services.AddScoped<HomeDashboard>();
        services.AddScoped<Features.Activities.ThemeService>();
        services.AddScoped<Features.Activities.ActivityService>();
        services.AddScoped<Features.Activities.SignUpService>();
        services.AddScoped<Features.Activities.CoverImageStore>();
        services.AddHostedService<Features.StoredPictures>();
        services.AddSingleton<Features.CheckIn.CheckInKeyStore>();
        services.AddSingleton<Features.CheckIn.CheckInTokens>();
        services.AddScoped<Features.CheckIn.CheckInService>();
        services.AddScoped<Features.CheckIn.AttendanceService>();
        services.AddScoped<Features.CheckIn.VolunteerCards>();
        services.AddSingleton<Features.Volunteering.Ledger>();
        services.AddScoped<Features.Volunteering.VolunteerService>();
        services.AddScoped<Features.Volunteering.VolunteerDirectory>();
        services.AddScoped<Features.Volunteering.LedgerReconciliation>();
        services.AddDezhiHubCertificates();
        services.AddOptions<Features.Volunteering.PointsOptions>().BindConfiguration(Features.Volunteering.PointsOptions.Section)
            .Validate(o => o.AwardApprovalAbove >= 0, "DezhiHub:Points:AwardApprovalAbove must not be negative.").ValidateOnStart();
        services.AddDezhiHubMarket();
        services.AddDezhiHubWeddings();
        services.AddScoped<DemoDataSeeder>();
        services.AddScoped<Components.Shared.UiFeedback>();
        return services;
    }

    /// <summary>Anonymous form posts (sign-in, registration) are limited per client address.</summary>
    private static IServiceCollection AddDezhiHubRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = (int)HttpStatusCode.TooManyRequests;
            options.OnRejected = async (context, cancellationToken) =>
            {
                var strings = context.HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<Resources.Strings>>();
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await context.HttpContext.Response.WriteAsync(strings["Error.TooManyRequests"], cancellationToken);
            };
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                // Form posts only: Blazor's own /_blazor negotiation is a POST on every interactive page load, and a
                // venue full of phones behind one address must still be able to open pages.
                var anonymousPost = HttpMethods.IsPost(context.Request.Method) && context.User.Identity?.IsAuthenticated != true
                    && !context.Request.Path.StartsWithSegments("/_blazor");
                if (!anonymousPost)
                {
                    return RateLimitPartition.GetNoLimiter("");
                }

                var limit = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<DezhiHubOptions>>().Value.AnonymousPostsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
        });
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
        app.MapHealthEndpoints();
        app.MapCultureEndpoints();
        app.MapThemeEndpoints();
        app.MapAccountEndpoints();
        app.MapUserEndpoints();
        app.MapCoverageEndpoints();
        Features.Leaderboards.LeaderboardEndpoints.MapLeaderboardEndpoints(app);
        app.MapActivityEndpoints();
        app.MapCalendarEndpoints();
        app.MapMarketEndpoints();
        app.MapWeddingReportEndpoints();
        app.MapWeddingPhotoEndpoints();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
