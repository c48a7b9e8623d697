using System.Globalization;
using DezhiHub.Domain.Accounts;
using DezhiHub.Web.Features.Activities;
using DezhiHub.Web.Platform.Files;
using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web.Resources;
using Microsoft.Extensions.Localization;
using Microsoft.Net.Http.Headers;

namespace DezhiHub.Web.Features.Activities;

internal static class ActivityEndpoints
{
    /// <summary>
    /// GET /activities/{id}/roster.csv and .xlsx — the roster, for those who manage the host (the service checks the
    /// scope: another community's organizer gets 403). GET /activities/{id}/cover — the cover image (/thumb: its
    /// thumbnail), for whoever may see the activity. POST /activities/{id}/cover — replaces it (multipart field "file",
    /// antiforgery token required; any body too large is refused with the cover's "too large" text, see
    /// <see cref="UploadLimit"/>); the pages upload through the same <see cref="CoverImageStore"/> inside the circuit.
    /// </summary>
    public static IEndpointRouteBuilder MapActivityEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/activities/{id:int}/roster.csv", async (int id, HttpContext context, SignUpService signUps, IStringLocalizer<Strings> strings, DisplayTime time, CancellationToken cancellationToken) =>
        {
            var roster = await signUps.RosterAsync(context.User, id, cancellationToken);
            var csv = SignUpService.RosterCsv(roster, k => strings[k], time.FormatDateTime);
            return TypedResults.File(Csv.Utf8WithBom(csv), "text/csv; charset=utf-8", $"roster-{id}.csv");
        }).RequireAuthorization(policy => policy.RequireRole(Roles.Admin, Roles.Organizer));

        endpoints.MapGet("/activities/{id:int}/roster.xlsx", async (int id, HttpContext context, SignUpService signUps, IStringLocalizer<Strings> strings, DisplayTime time, CancellationToken cancellationToken) =>
        {
            var roster = await signUps.RosterAsync(context.User, id, cancellationToken);
            string[] header = [strings["Roster.Name"], strings["Roster.Phone"], strings["Roster.Org"], strings["Roster.Status"], strings["Roster.Position"], strings["Roster.SignedUpAt"]];
            var rows = roster.Select(r => (IReadOnlyList<object?>)
            [
                r.RealName,
                r.Phone,
                r.OrgName ?? "",
                strings[$"RegistrationStatus.{r.Status}"].Value,
                r.WaitlistPosition,
                DateText.IsoMinute(time.ToLocal(r.SignedUpAtUtc)),
            ]);
            return TypedResults.File(Xlsx.Write(strings["Roster.Title"], header, rows), Xlsx.ContentType, $"roster-{id}.xlsx");
        }).RequireAuthorization(policy => policy.RequireRole(Roles.Admin, Roles.Organizer));

        endpoints.MapGet("/activities/{id:int}/cover", (int id, HttpContext context, CoverImageStore covers, CancellationToken cancellationToken) =>
            ServeCoverAsync(id, thumbnail: false, context, covers, cancellationToken)).AllowAnonymous();
        endpoints.MapGet("/activities/{id:int}/cover/thumb", (int id, HttpContext context, CoverImageStore covers, CancellationToken cancellationToken) =>
            ServeCoverAsync(id, thumbnail: true, context, covers, cancellationToken)).AllowAnonymous();

        endpoints.MapPost("/activities/{id:int}/cover", async (int id, IFormFile file, HttpContext context, CoverImageStore covers, CancellationToken cancellationToken) =>
        {
            await using var stream = file.OpenReadStream();
            await covers.SaveAsync(context.User, id, stream, cancellationToken);
            return TypedResults.NoContent();
        }).RequireAuthorization(policy => policy.RequireRole(Roles.Admin, Roles.Organizer))
            .WithMetadata(new UploadLimit(CoverImageStore.Refusals.TooLarge, CoverImageStore.MaxMegabytes));
        return endpoints;
    }

    private static async Task<IResult> ServeCoverAsync(int id, bool thumbnail, HttpContext context, CoverImageStore covers, CancellationToken cancellationToken)
    {
        if (await covers.FindAsync(context.User, id, thumbnail, cancellationToken) is not { } cover)
        {
            return Results.NotFound();
        }

        // A new upload gets a new file name (the ETag), so a short private cache is never stale for long.
        context.Response.Headers.CacheControl = "private, max-age=300";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.PhysicalFile(cover.Path, cover.ContentType, entityTag: new EntityTagHeaderValue(cover.ETag));
    }
}
