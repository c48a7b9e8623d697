using DezhiHub.Domain.Accounts;
using DezhiHub.Web.Platform.Files;
using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web.Resources;
using Microsoft.Extensions.Localization;

namespace DezhiHub.Web.Features.Weddings;

public static class WeddingReportEndpoints
{
    /// <summary>
    /// GET /weddings/utilisation/export.csv and .xlsx?year=2026 — the hall utilisation report of the caller's area for a
    /// year (this year when none is given). Admins and Organizers only; a year out of range is a 400 with a message.
    /// </summary>
    public static IEndpointRouteBuilder MapWeddingReportEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/weddings/utilisation").RequireAuthorization(policy => policy.RequireRole(Roles.Admin, Roles.Organizer));
        group.MapGet("/export.csv", async (HttpContext context, WeddingReports reports, DisplayTime time, IStringLocalizer<Strings> strings, int? year, CancellationToken cancellationToken) =>
        {
            var report = await reports.UtilisationAsync(context.User, year ?? time.LocalNow.Year, cancellationToken);
            return TypedResults.File(Csv.Utf8WithBom(UtilisationExport.Csv(report, strings)), "text/csv; charset=utf-8", UtilisationExport.FileName(report, "csv"));
        });
        group.MapGet("/export.xlsx", async (HttpContext context, WeddingReports reports, DisplayTime time, IStringLocalizer<Strings> strings, int? year, CancellationToken cancellationToken) =>
        {
            var report = await reports.UtilisationAsync(context.User, year ?? time.LocalNow.Year, cancellationToken);
            return TypedResults.File(UtilisationExport.Xlsx(report, strings), Xlsx.ContentType, UtilisationExport.FileName(report, "xlsx"));
        });
        return endpoints;
    }
}
