using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace DezhiHub.Web.Features.Certificates;

/// <summary>The "DezhiHub:Certificates" configuration section.</summary>
public sealed class CertificateOptions
{
    public const string Section = "DezhiHub:Certificates";

    /// <summary>Verification pages (/verify/…) one client address may open per minute.</summary>
    public int VerificationsPerMinute { get; set; } = 30;
}

/// <summary>Service certificates and their public verification.</summary>
public static class CertificatesModule
{
    /// <summary>Rate-limit policy of the anonymous verification page.</summary>
    public const string RateLimitPolicy = "certificate-verify";

    public static IServiceCollection AddCertificates(this IServiceCollection services)
    {
        services.AddOptions<CertificateOptions>().BindConfiguration(CertificateOptions.Section)
            .Validate(o => o.VerificationsPerMinute > 0, "DezhiHub:Certificates:VerificationsPerMinute must be positive.")
            .ValidateOnStart();
        services.AddSingleton<CertificateTokens>();
        services.AddScoped<CertificateService>();

        // A person checks a certificate or two; this stops a client walking through guessed codes or hammering the
        // database. The rejection answer is the app's own (see AddDezhiHubRateLimits).
        services.Configure<RateLimiterOptions>(options => options.AddPolicy(RateLimitPolicy, context =>
        {
            var limit = context.RequestServices.GetRequiredService<IOptions<CertificateOptions>>().Value.VerificationsPerMinute;
            return RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
        }));
        return services;
    }
}
