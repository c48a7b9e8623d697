using System.Globalization;
using DezhiHub.Domain.Accounts;
using DezhiHub.Domain;
using DezhiHub.Web.Features.Coverage;
using DezhiHub.Web.Platform.Files;
using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web.Resources;
using Microsoft.Extensions.Localization;

namespace DezhiHub.Web.Features.Coverage;

internal static class CoverageEndpoints
{
    /// <summary>
    /// GET /coverage/export.csv and /coverage/export.xlsx?node=&amp;from=yyyy-MM-dd&amp;to=yyyy-MM-dd — the coverage page's
    /// matrix for [from, to); missing parts default as on the page. The service refuses nodes outside the caller's scope (403).
    /// </summary>
    public static IEndpointRouteBuilder MapCoverageEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/coverage").RequireAuthorization(policy => policy.RequireRole(Roles.Admin, Roles.Organizer));
        group.MapGet("/export.csv", async (HttpContext context, CoverageService coverage, IStringLocalizer<Strings> strings, int? node, string? from, string? to, CancellationToken cancellationToken) =>
        {
            var matrix = await LoadAsync(context, coverage, node, from, to, cancellationToken);
            return TypedResults.File(Csv.Utf8WithBom(CoverageExport.Csv(matrix, strings)), "text/csv; charset=utf-8", FileName(matrix, "csv"));
        });
        group.MapGet("/export.xlsx", async (HttpContext context, CoverageService coverage, IStringLocalizer<Strings> strings, int? node, string? from, string? to, CancellationToken cancellationToken) =>
        {
            var matrix = await LoadAsync(context, coverage, node, from, to, cancellationToken);
            return TypedResults.File(CoverageExport.Xlsx(matrix, strings), Xlsx.ContentType, FileName(matrix, "xlsx"));
        });
        return endpoints;
    }

    private static async Task<CoverageMatrix> LoadAsync(HttpContext context, CoverageService coverage, int? node, string? from, string? to, CancellationToken cancellationToken)
    {
        var query = await coverage.ResolveAsync(context.User, node, Date(from), Date(to), cancellationToken);
        return await coverage.GetMatrixAsync(context.User, query, cancellationToken);
    }

    /// <summary>yyyy-MM-dd, parsed here rather than by the framework so a bad date is a plain 400 with a message in every environment.</summary>
    private static DateOnly? Date(string? text) =>
        string.IsNullOrEmpty(text) ? null
        : DateText.ParseIso(text) is { } date ? date
        : throw new DomainException(ErrorCodes.Coverage.PeriodInvalid, CoverageQuery.MaxDays / 366);

    private static string FileName(CoverageMatrix matrix, string extension) =>
        FormattableString.Invariant($"coverage-{matrix.NodeId}-{matrix.From.ToString(DateText.FileDateFormat, CultureInfo.InvariantCulture)}-{matrix.To.AddDays(-1).ToString(DateText.FileDateFormat, CultureInfo.InvariantCulture)}.{extension}");
}
