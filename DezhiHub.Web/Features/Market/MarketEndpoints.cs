using DezhiHub.Domain.Accounts;
using DezhiHub.Domain;
using DezhiHub.Web.Platform.Files;
using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web.Resources;
using Microsoft.Extensions.Localization;
using Microsoft.Net.Http.Headers;

namespace DezhiHub.Web.Features.Market;

public static class MarketEndpoints
{
    /// <summary>
    /// GET /partner/settlement.csv and .xlsx?month=yyyy-MM — the signed-in Partner's monthly settlement (this month when
    /// no month is given); anyone else gets 403. GET /market/items/{id}/picture — an item's picture (/thumb: its thumbnail), for anyone signed in.
    /// </summary>
    public static IEndpointRouteBuilder MapMarketEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var partner = endpoints.MapGroup("/partner").RequireAuthorization(policy => policy.RequireRole(Roles.Partner));
        partner.MapGet("/settlement.csv", async (HttpContext context, PartnerService partners, IStringLocalizer<Strings> strings, DisplayTime time, string? month, CancellationToken cancellationToken) =>
        {
            var settlement = await LoadAsync(context, partners, time, month, cancellationToken);
            return TypedResults.File(Csv.Utf8WithBom(PartnerService.Csv(settlement, k => strings[k])), "text/csv; charset=utf-8", $"settlement-{settlement.Period}.csv");
        });
        partner.MapGet("/settlement.xlsx", async (HttpContext context, PartnerService partners, IStringLocalizer<Strings> strings, DisplayTime time, string? month, CancellationToken cancellationToken) =>
        {
            var settlement = await LoadAsync(context, partners, time, month, cancellationToken);
            return TypedResults.File(PartnerService.Xlsx(settlement, k => strings[k]), Xlsx.ContentType, $"settlement-{settlement.Period}.xlsx");
        });

        endpoints.MapGet("/market/items/{id:int}/picture", (int id, HttpContext context, RewardPictureStore pictures, CancellationToken cancellationToken) =>
            ServePictureAsync(id, thumbnail: false, context, pictures, cancellationToken)).RequireAuthorization();
        endpoints.MapGet("/market/items/{id:int}/picture/thumb", (int id, HttpContext context, RewardPictureStore pictures, CancellationToken cancellationToken) =>
            ServePictureAsync(id, thumbnail: true, context, pictures, cancellationToken)).RequireAuthorization();
        return endpoints;
    }

    private static async Task<IResult> ServePictureAsync(int id, bool thumbnail, HttpContext context, RewardPictureStore pictures, CancellationToken cancellationToken)
    {
        if (await pictures.FindAsync(id, thumbnail, cancellationToken) is not { } picture)
        {
            return Results.NotFound();
        }

        // A new upload gets a new file name (the ETag), so a short private cache is never stale for long.
        context.Response.Headers.CacheControl = "private, max-age=300";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.PhysicalFile(picture.Path, picture.ContentType, entityTag: new EntityTagHeaderValue(picture.ETag));
    }

    private static Task<Settlement> LoadAsync(HttpContext context, PartnerService partners, DisplayTime time, string? month, CancellationToken cancellationToken)
    {
        var period = string.IsNullOrEmpty(month) ? (time.LocalNow.Year, time.LocalNow.Month)
            : PartnerService.ParseMonth(month) ?? throw new DomainException(ErrorCodes.Partner.PeriodInvalid);
        return partners.SettlementAsync(context.User, period.Item1, period.Item2, cancellationToken);
    }
}
