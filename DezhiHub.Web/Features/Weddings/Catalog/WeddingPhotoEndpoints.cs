using Microsoft.Net.Http.Headers;

namespace DezhiHub.Web.Features.Weddings;

public static class WeddingPhotoEndpoints
{
    /// <summary>
    /// GET /weddings/photos/{resourceId}/{index} — a live service's photo (0 = the first), and /thumb its thumbnail, for
    /// anyone, like the hub that shows it; 404 when there is no such photo.
    /// </summary>
    public static IEndpointRouteBuilder MapWeddingPhotoEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/weddings/photos/{resourceId:int}/{index:int}", (int resourceId, int index, HttpContext context, WeddingPhotoStore photos, CancellationToken cancellationToken) =>
            ServeAsync(resourceId, index, thumbnail: false, context, photos, cancellationToken)).AllowAnonymous();
        endpoints.MapGet("/weddings/photos/{resourceId:int}/{index:int}/thumb", (int resourceId, int index, HttpContext context, WeddingPhotoStore photos, CancellationToken cancellationToken) =>
            ServeAsync(resourceId, index, thumbnail: true, context, photos, cancellationToken)).AllowAnonymous();
        return endpoints;
    }

    private static async Task<IResult> ServeAsync(int resourceId, int index, bool thumbnail, HttpContext context, WeddingPhotoStore photos, CancellationToken cancellationToken)
    {
        if (await photos.FindAsync(resourceId, index, thumbnail, cancellationToken) is not { } photo)
        {
            return Results.NotFound();
        }

        // The page's URL carries the file name (?v=), and the ETag is that name, so a short private cache is never stale for long.
        context.Response.Headers.CacheControl = "private, max-age=300";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.PhysicalFile(photo.Path, photo.ContentType, entityTag: new EntityTagHeaderValue(photo.ETag));
    }
}
