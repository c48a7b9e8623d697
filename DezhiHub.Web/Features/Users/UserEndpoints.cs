using DezhiHub.Domain.Accounts;
using DezhiHub.Web.Features.Users;
using DezhiHub.Web.Platform.Files;
using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web.Resources;
using Microsoft.Extensions.Localization;

namespace DezhiHub.Web.Features.Users;

internal static class UserEndpoints
{
    /// <summary>GET /admin/users/export.csv — the roster of the caller's scope (Admin: all; Organizer: own subtree).</summary>
    public static IEndpointRouteBuilder MapUserEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/admin/users/export.csv", async (
            HttpContext context,
            UserAdminService users,
            IStringLocalizer<Strings> strings,
            DisplayTime time,
            string? text,
            string? role,
            int? orgNodeId,
            CancellationToken cancellationToken) =>
        {
            var csv = await users.ExportCsvAsync(context.User, new UserFilter(text, role, orgNodeId), k => strings[k], time.FormatDateTime, cancellationToken);
            return TypedResults.File(Csv.Utf8WithBom(csv), "text/csv; charset=utf-8", "users.csv");
        }).RequireAuthorization(policy => policy.RequireRole(Roles.Admin, Roles.Organizer));
        return endpoints;
    }
}
