using DezhiHub.Web.Data;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform.Scheduling;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Quartz;

namespace DezhiHub.Web.Features.Accounts;

/// <summary>Accounts: sign-up, sign-in, sessions, lockout, profiles.</summary>
public static class AccountsModule
{
    /// <summary>ASP.NET Core Identity with phone-number sign-in, OWASP ASVS password rules, lockout and a sliding cookie.</summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddSingleton<UserSessions>();
        services.AddSingleton<AccountProbeLimits>();
        services.AddScoped<PasswordSignIn>();
        services.AddScoped<AccountService>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.AddAuthorization();

        // Identity's stores take a scoped context; Blazor features use the factory instead.
        services.AddScoped(sp => sp.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<AppDbContext>>().CreateDbContext());
        services.AddIdentityCore<AppUser>(options =>
            {
                options.User.AllowedUserNameCharacters = "0123456789";
                options.User.RequireUniqueEmail = false;
                // OWASP ASVS 2.1: at least 8 characters, no composition rules, long passphrases welcome.
                options.Password.RequiredLength = 8;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequiredUniqueChars = 1;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.SignIn.RequireConfirmedAccount = false;
            })
            .AddRoles<IdentityRole<int>>()
            .AddEntityFrameworkStores<AppDbContext>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<AppClaimsPrincipalFactory>()
            .AddErrorDescriber<LocalizedIdentityErrors>()
            .AddPasswordValidator<CommonPasswordValidator>();
        services.AddScoped<LocalizedIdentityErrors>();

        // OWASP's 2023 figure for PBKDF2-HMAC-SHA512 (Identity v3 hashes).
        services.Configure<PasswordHasherOptions>(options => options.IterationCount = 210_000);
        // Role changes and forced sign-outs reach open cookies within a minute; the rebuilt principal keeps its session.
        services.Configure<SecurityStampValidatorOptions>(options =>
        {
            options.ValidationInterval = TimeSpan.FromMinutes(1);
            options.OnRefreshingPrincipal = UserSessions.KeepSessionClaim;
        });
        services.ConfigureApplicationCookie(options =>
        {
            options.Cookie.Name = "dezhihub.auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = TimeSpan.FromHours(12);
            options.SlidingExpiration = true;
            options.LoginPath = "/account/login";
            options.LogoutPath = "/account/logout";
            options.AccessDeniedPath = "/account/access-denied";
            // Signing in on the login page follows its ?returnUrl= by itself: through the one local-URL check, or a crafted
            // value ("/%E3%80%80/evil") would reach the Location header and throw.
            options.Events.OnRedirectToReturnUrl = context =>
            {
                context.Response.Redirect(LocalUrl.OrHome(context.RedirectUri));
                return Task.CompletedTask;
            };
            // Identity has set the security-stamp check; the session check runs before it on every request.
            UserSessions.Attach(options.Events);
        });
        return services;
    }

    /// <summary>Expired sign-in sessions removed nightly.</summary>
    public static IQuartzBuilder ScheduleAccounts(this IQuartzBuilder quartz, IConfiguration configuration)
    {
        quartz.ScheduleJob<SessionCleanupJob>(
            trigger => trigger.WithIdentity(SessionCleanupJob.TriggerKey).At(SessionCleanupJob.Cron, Scheduling.Zone(configuration)),
            job => job.WithIdentity(SessionCleanupJob.Key).Sweep());
        return quartz;
    }

    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder endpoints) => endpoints.MapAccountEndpoints();
}
