using System.Globalization;
using System.Security.Claims;
using DezhiHub.Domain.Weddings;
using DezhiHub.Domain;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Weddings;
using DezhiHub.Web.Platform.Access;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Tests.Features;

/// <summary>
/// Photos of wedding services on real SQLite and a real data folder: a picture is judged by its bytes, a service has
/// at most four, only a manager of its node may add or remove them, removing deletes the file, and each change is audited.
/// </summary>
public sealed class WeddingPhotoTests : IAsyncLifetime
{
    /// <summary>A real 1×1 PNG: one red pixel, half transparent (so it stays a PNG when re-encoded).</summary>
    internal static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    private FeatureHost _host = default!;
    private TestCity _city = default!;
    private int _hallId;
    private ClaimsPrincipal _organizer = default!;

    public async Task InitializeAsync()
    {
        _host = await FeatureHost.CreateAsync(demoData: false);
        _city = await TestCity.CreateAsync(_host);
        _organizer = _city.Organizer.Principal;
        _hallId = await Catalog.CreateAsync(_organizer, new WeddingResourceDetails
        {
            Kind = WeddingServiceKind.CeremonyHall,
            Name = "红星婚礼堂",
            Location = "红星社区党群服务中心一楼",
            Seats = 120,
            OrgNodeId = _city.Community.Id,
            Hours = "08:00-18:00,08:00-18:00,08:00-18:00,08:00-18:00,08:00-18:00,,",
            SlotMinutes = 240,
            BufferMinutes = 60,
            Rules = BookingRules.DefaultFor(WeddingServiceKind.CeremonyHall),
        });
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private WeddingCatalog Catalog => _host.Scoped<WeddingCatalog>();

    private WeddingPhotoStore Store => _host.Scoped<WeddingPhotoStore>();

    private string Folder => Path.Combine(_host.DataPath, "wedding-photos");

    [Fact]
    public async Task APng_IsStored_Listed_AndFoundAsAPng_AndAudited()
    {
        await Catalog.AddPhotoAsync(_organizer, _hallId, new MemoryStream(Png));

        var photo = Assert.Single(await Catalog.PhotosAsync(_organizer, _hallId));
        Assert.Matches($"^{_hallId}-[0-9a-f]{{12}}\\.png$", photo.File);
        Assert.StartsWith($"/weddings/photos/{_hallId}/0?v=", photo.Url, StringComparison.Ordinal);
        Assert.StartsWith($"/weddings/photos/{_hallId}/0/thumb?v=", photo.ThumbnailUrl, StringComparison.Ordinal);
        // Stored re-encoded (never as sent), the same pixel.
        var stored = await File.ReadAllBytesAsync(Path.Combine(Folder, photo.File));
        Assert.Equal(new SkiaSharp.SKColor(255, 0, 0, 127), TestImages.PixelAt(stored, 0, 0));
        Assert.True(File.Exists(Path.Combine(Folder, DezhiHub.Web.Platform.Files.ImageUploads.ThumbnailName(photo.File))));
        var found = await Store.FindAsync(_hallId, 0);
        Assert.Equal("image/png", found!.ContentType);
        Assert.Null(await Store.FindAsync(_hallId, 1));
        Assert.Equal(["wedding.resource-created", "wedding.photo-added"], await AuditActionsAsync());
    }

    [Fact]
    public async Task AFifthPhoto_IsRefused_AndLeavesNoFileBehind()
    {
        for (var i = 0; i < WeddingResource.MaxPhotos; i++)
        {
            await Catalog.AddPhotoAsync(_organizer, _hallId, new MemoryStream(Png));
        }

        var refusal = await Assert.ThrowsAsync<DomainException>(() => Catalog.AddPhotoAsync(_organizer, _hallId, new MemoryStream(Png)));

        Assert.Equal("Wedding.TooManyPhotos", refusal.Code);
        Assert.Equal(4, (await Catalog.PhotosAsync(_organizer, _hallId)).Count);
        Assert.Equal(4, Directory.GetFiles(Folder, "*.thumb.*").Length);
        Assert.Equal(8, Directory.GetFiles(Folder).Length); // each photo and its thumbnail
    }

    [Fact]
    public async Task ANonImage_IsRefusedByItsContent_AndNothingIsStored()
    {
        var refusal = await Assert.ThrowsAsync<DomainException>(
            () => Catalog.AddPhotoAsync(_organizer, _hallId, new MemoryStream("<svg onload=alert(1)>"u8.ToArray())));

        Assert.Equal("WeddingPhoto.WrongType", refusal.Code);
        Assert.Empty(await Catalog.PhotosAsync(_organizer, _hallId));
        Assert.False(Directory.Exists(Folder) && Directory.GetFiles(Folder).Length > 0);
    }

    [Fact]
    public async Task AnOrganizerOutsideTheSubtree_CanNeitherAddNorRemove()
    {
        await Catalog.AddPhotoAsync(_organizer, _hallId, new MemoryStream(Png));
        var file = Assert.Single(await Catalog.PhotosAsync(_organizer, _hallId)).File;
        var heping = _city.OtherOrganizer.Principal;
        var resident = _city.Resident.Principal;

        await Assert.ThrowsAsync<AccessDeniedException>(() => Catalog.AddPhotoAsync(heping, _hallId, new MemoryStream(Png)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Catalog.RemovePhotoAsync(heping, _hallId, file));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Catalog.AddPhotoAsync(resident, _hallId, new MemoryStream(Png)));

        Assert.Equal([file], (await Catalog.PhotosAsync(_organizer, _hallId)).Select(p => p.File));
        Assert.Equal(2, Directory.GetFiles(Folder).Length); // the photo and its thumbnail
    }

    [Fact]
    public async Task Removing_TakesThePhotoOff_DeletesItsFile_AndIsAudited()
    {
        await Catalog.AddPhotoAsync(_organizer, _hallId, new MemoryStream(Png));
        await Catalog.AddPhotoAsync(_organizer, _hallId, new MemoryStream(Png));
        var photos = await Catalog.PhotosAsync(_organizer, _hallId);

        await Catalog.RemovePhotoAsync(_organizer, _hallId, photos[0].File);

        Assert.Equal([photos[1].File], (await Catalog.PhotosAsync(_organizer, _hallId)).Select(p => p.File));
        Assert.False(File.Exists(Path.Combine(Folder, photos[0].File)));
        Assert.False(File.Exists(Path.Combine(Folder, DezhiHub.Web.Platform.Files.ImageUploads.ThumbnailName(photos[0].File))));
        Assert.True(File.Exists(Path.Combine(Folder, photos[1].File)));
        Assert.Equal("wedding.photo-removed", (await AuditActionsAsync())[^1]);
        // Removing it again is a clear refusal, not a crash.
        var again = await Assert.ThrowsAsync<DomainException>(() => Catalog.RemovePhotoAsync(_organizer, _hallId, photos[0].File));
        Assert.Equal("WeddingPhoto.NotFound", again.Code);
    }

    [Fact]
    public void TheDomain_KeepsAtMostFourNames_InOrder()
    {
        var hall = WeddingResource.Create(new WeddingResourceDetails
        {
            Kind = WeddingServiceKind.CeremonyHall,
            Name = "礼堂",
            Hours = "08:00-18:00,,,,,,",
            Rules = BookingRules.DefaultFor(WeddingServiceKind.CeremonyHall),
        }, "/1/", DateTime.UtcNow);
        foreach (var name in new[] { "a.png", "b.png", "c.png", "d.png" })
        {
            hall.AddPhoto(name);
        }

        Assert.Equal("Wedding.TooManyPhotos", Assert.Throws<DomainException>(() => hall.AddPhoto("e.png")).Code);
        Assert.True(hall.RemovePhoto("b.png"));
        Assert.False(hall.RemovePhoto("b.png"));
        Assert.Equal(["a.png", "c.png", "d.png"], hall.Photos);
        Assert.Equal("Wedding.PhotoInvalid", Assert.Throws<DomainException>(() => hall.AddPhoto("../x.png")).Code);
    }

    private async Task<string[]> AuditActionsAsync()
    {
        await using var db = _host.NewDb();
        var key = _hallId.ToString(CultureInfo.InvariantCulture);
        return await db.AuditEntries.AsNoTracking().Where(a => a.EntityType == WeddingCatalog.Entity && a.EntityId == key)
            .OrderBy(a => a.Id).Select(a => a.Action).ToArrayAsync();
    }
}
