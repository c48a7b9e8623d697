using DezhiHub.Domain.Accounts;
using DezhiHub.Domain;
using DezhiHub.Web.Platform.Files;
using DezhiHub.Web.Resources;
using Microsoft.Extensions.Localization;

namespace DezhiHub.Web.Features.Leaderboards;

public static class LeaderboardEndpoints
{
    /// <summary>
    /// GET /leaderboards/export/volunteers.{csv,xlsx} and /leaderboards/export/units.{csv,xlsx}?node=&amp;period=month|year|all&amp;key=2026-11
    /// — hours and points per volunteer, or per unit below the node, for the period (default: the organizer's own node,
    /// the city for an Admin; this month). Organizers and Admins only; the service refuses nodes outside the caller's scope (403).
    /// </summary>
    public static IEndpointRouteBuilder MapLeaderboardEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/leaderboards/export").RequireAuthorization(policy => policy.RequireRole(Roles.Admin, Roles.Organizer));
        group.MapGet("/volunteers.csv", async (HttpContext context, LeaderboardService boards, IStringLocalizer<Strings> strings, int? node, string? period, string? key, CancellationToken cancellationToken) =>
        {
            var report = await boards.VolunteerTotalsAsync(context.User, node, Period(period), key, cancellationToken);
            return TypedResults.File(Csv.Utf8WithBom(LeaderboardExport.VolunteersCsv(report, strings)), "text/csv; charset=utf-8", FileName("volunteers", report, "csv"));
        });
        group.MapGet("/volunteers.xlsx", async (HttpContext context, LeaderboardService boards, IStringLocalizer<Strings> strings, int? node, string? period, string? key, CancellationToken cancellationToken) =>
        {
            var report = await boards.VolunteerTotalsAsync(context.User, node, Period(period), key, cancellationToken);
            return TypedResults.File(LeaderboardExport.VolunteersXlsx(report, strings), Xlsx.ContentType, FileName("volunteers", report, "xlsx"));
        });
        group.MapGet("/units.csv", async (HttpContext context, LeaderboardService boards, IStringLocalizer<Strings> strings, int? node, string? period, string? key, CancellationToken cancellationToken) =>
        {
            var report = await boards.UnitTotalsAsync(context.User, node, Period(period), key, cancellationToken);
            return TypedResults.File(Csv.Utf8WithBom(LeaderboardExport.UnitsCsv(report, strings)), "text/csv; charset=utf-8", FileName("units", report, "csv"));
        });
        group.MapGet("/units.xlsx", async (HttpContext context, LeaderboardService boards, IStringLocalizer<Strings> strings, int? node, string? period, string? key, CancellationToken cancellationToken) =>
        {
            var report = await boards.UnitTotalsAsync(context.User, node, Period(period), key, cancellationToken);
            return TypedResults.File(LeaderboardExport.UnitsXlsx(report, strings), Xlsx.ContentType, FileName("units", report, "xlsx"));
        });
        return endpoints;
    }

    /// <summary>Parsed here so an unknown period is a plain 400 with a message, not "this month" by accident.</summary>
    private static LeaderboardPeriod Period(string? text) =>
        text is null or "month" or "year" or "all" ? LeaderboardText.ParsePeriod(text) : throw new DomainException(ErrorCodes.Leaderboard.PeriodInvalid);

    private static string FileName<T>(string report, LeaderboardReport<T> data, string extension) =>
        FormattableString.Invariant($"{report}-{data.NodeId}-{data.PeriodKey ?? "all"}.{extension}");
}
