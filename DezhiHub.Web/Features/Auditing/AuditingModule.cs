namespace DezhiHub.Web.Features.Auditing;

/// <summary>The audit log page (the rows are written through Platform.Auditing).</summary>
public static class AuditingModule
{
    public static IServiceCollection AddAuditLog(this IServiceCollection services) => services.AddScoped<AuditLogQuery>();
}
