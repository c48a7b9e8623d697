using System.Net;
using System.Security.Claims;
using DezhiHub.Tests.Features;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Weddings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DezhiHub.Tests.Web;

/// <summary>
/// A hall's photo over real HTTP: served to anyone as the image it is, with the cache headers of the other pictures,
/// shown on the hub card and the service page; an unknown photo is a 404.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class WeddingPhotoEndpointTests(AppFactory app) : IAsyncLifetime
{
    private const string HallName = "红星社区文明实践站礼堂";

    private int _hallId;
    private ClaimsPrincipal _organizer = default!;

    public async Task InitializeAsync()
    {
        _organizer = await CertificateData.PrincipalAsync(app.Services, Demo.OrganizerHongxing);
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
        {
            _hallId = await db.WeddingResources.Where(r => r.Name == HallName).Select(r => r.Id).SingleAsync();
        }

        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<WeddingCatalog>().AddPhotoAsync(_organizer, _hallId, new MemoryStream(WeddingPhotoTests.Png));
    }

    /// <summary>Takes the photo off again: the demo hall is shared with the other web tests.</summary>
    public async Task DisposeAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var catalog = scope.ServiceProvider.GetRequiredService<WeddingCatalog>();
        foreach (var photo in await catalog.PhotosAsync(_organizer, _hallId))
        {
            await catalog.RemovePhotoAsync(_organizer, _hallId, photo.File);
        }
    }

    [Fact]
    public async Task AHallsPhoto_IsServedToAnyone_AsThePngItWasStoredAs()
    {
        using var anonymous = app.NewClient();

        using var response = await anonymous.GetAsync($"/weddings/photos/{_hallId}/0");

        // The test pixel is half transparent, so it is stored re-encoded as a PNG.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True(response.Headers.CacheControl!.Private);
        Assert.Equal(TimeSpan.FromMinutes(5), response.Headers.CacheControl.MaxAge);
        Assert.NotNull(response.Headers.ETag);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal((1, 1), (TestImages.Inspect(bytes).Width, TestImages.Inspect(bytes).Height));
        Assert.Equal(127, TestImages.PixelAt(bytes, 0, 0).Alpha);
        using var thumbnail = await anonymous.GetAsync($"/weddings/photos/{_hallId}/0/thumb");
        Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
        Assert.Equal("image/png", thumbnail.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    public async Task APhotoThatDoesNotExist_Is404(int index)
    {
        using var anonymous = app.NewClient();

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/weddings/photos/{_hallId}/{index}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/weddings/photos/999999/0")).StatusCode);
    }

    [Fact]
    public async Task TheHubCard_AndTheServicePage_ShowThePhotosThumbnail_Lazily_WithAltText_AndLinkTheFullPicture()
    {
        using var anonymous = app.NewClient();
        var photo = Assert.Single(await PhotosAsync());
        Assert.Contains("/thumb?v=", photo.ThumbnailUrl, StringComparison.Ordinal);
        var (full, thumbnail) = (WebUtility.HtmlEncode(photo.Url), WebUtility.HtmlEncode(photo.ThumbnailUrl));

        var hub = await anonymous.GetStringAsync("/weddings");
        var service = await anonymous.GetStringAsync($"/weddings/services/{_hallId}");

        Assert.Contains($"src=\"{thumbnail}\" alt=\"{HallName}的照片 1\" loading=\"lazy\"", hub, StringComparison.Ordinal);
        Assert.Contains($"src=\"{thumbnail}\" alt=\"{HallName}的照片 1\" loading=\"lazy\"", service, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"{full}\" target=\"_blank\"", service, StringComparison.Ordinal);
    }

    private async Task<IReadOnlyList<ManagedPhoto>> PhotosAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<WeddingCatalog>().PhotosAsync(_organizer, _hallId);
    }
}
