using System.Diagnostics;
using System.Security.Claims;
using DezhiHub.Domain.Market;
using DezhiHub.Domain.Weddings;
using DezhiHub.Domain;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Activities;
using DezhiHub.Web.Features.Market;
using DezhiHub.Web.Features.Weddings;
using DezhiHub.Web.Platform.Files;
using Microsoft.Extensions.Logging.Abstractions;
using SkiaSharp;

namespace DezhiHub.Tests.Features;

/// <summary>
/// Every uploaded picture (activity cover, reward picture, wedding service photo) is stored re-encoded: upright, without
/// EXIF or GPS, no larger than the stored size, with a thumbnail for the lists; a picture whose header declares too many
/// pixels is refused before it is decoded, and nothing is stored. Real SQLite and a real data folder.
/// </summary>
public sealed class ImageUploadTests : IAsyncLifetime
{
    private FeatureHost _host = default!;
    private TestCity _city = default!;
    private ClaimsPrincipal _organizer = default!;
    private int _hallId;

    public async Task InitializeAsync()
    {
        _host = await FeatureHost.CreateAsync(demoData: false);
        _city = await TestCity.CreateAsync(_host);
        _organizer = _city.Organizer.Principal;
        _hallId = await _host.Scoped<WeddingCatalog>().CreateAsync(_organizer, new WeddingResourceDetails
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

    private string PhotoFolder => Path.Combine(_host.DataPath, "wedding-photos");

    [Fact]
    public async Task AWeddingPhotoWithGps_IsStoredUpright_WithNoExifLeft_InThePictureOrItsThumbnail()
    {
        // 64 × 48 as stored, "turn 90° clockwise" in EXIF: a camera held upright. Red is the stored left half.
        var sent = TestImages.JpegWithExif(64, 48, orientation: 6);
        Assert.Contains((byte)0xE1, TestImages.JpegHeaderMarkers(sent)); // the test's own picture does carry EXIF
        Assert.True(TestImages.ContainsAscii(sent, TestImages.Description));

        await Catalog.AddPhotoAsync(_organizer, _hallId, new MemoryStream(sent));

        var file = Assert.Single(await Catalog.PhotosAsync(_organizer, _hallId)).File;
        Assert.EndsWith(".jpg", file, StringComparison.Ordinal);
        foreach (var stored in new[] { file, ImageUploads.ThumbnailName(file) })
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(PhotoFolder, stored));
            // Only the JFIF header (APP0) and the JPEG's own tables: no APP1 (EXIF, XMP), APP2 (ICC), APP13 (IPTC) or comment.
            Assert.DoesNotContain(TestImages.JpegHeaderMarkers(bytes), m => m is 0xE1 or 0xE2 or 0xED or 0xFE);
            Assert.False(TestImages.ContainsAscii(bytes, "Exif"));
            Assert.False(TestImages.ContainsAscii(bytes, TestImages.Description));
            var (width, height, format, origin) = TestImages.Inspect(bytes);
            Assert.Equal((48, 64, SKEncodedImageFormat.Jpeg, SKEncodedOrigin.TopLeft), (width, height, format, origin));
            // Turned upright: the stored left half (red) is now on top.
            var top = TestImages.PixelAt(bytes, 24, 8);
            var bottom = TestImages.PixelAt(bytes, 24, 56);
            Assert.True(top.Red > 200 && top.Blue < 60, $"top is red, was {top}");
            Assert.True(bottom.Blue > 200 && bottom.Red < 60, $"bottom is blue, was {bottom}");
        }
    }

    [Fact]
    public async Task APngDeclaring100000By100000Pixels_IsRefusedBeforeDecoding_AndNothingIsStored()
    {
        var bomb = TestImages.PngDeclaring(100_000, 100_000);
        Assert.True(bomb.Length < 200);

        var clock = Stopwatch.StartNew();
        var refusal = await Assert.ThrowsAsync<DomainException>(() => Catalog.AddPhotoAsync(_organizer, _hallId, new MemoryStream(bomb)));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "refused from the header, not by trying to decode 40 GB");
        Assert.Equal("WeddingPhoto.TooManyPixels", refusal.Code);
        Assert.Equal([ImageUploads.MaxSide, ImageUploads.MaxMegapixels, ImageUploads.MaxMegapixels * 100], refusal.Args);
        Assert.Empty(await Catalog.PhotosAsync(_organizer, _hallId));
        Assert.False(Directory.Exists(PhotoFolder) && Directory.GetFiles(PhotoFolder).Length > 0);
    }

    [Theory]
    [InlineData(8001, 100)]     // one side too long
    [InlineData(7000, 7000)]    // 49 megapixels
    public async Task EveryKindOfPicture_RefusesTooManyPixels_WithItsOwnWords(int width, int height)
    {
        var bytes = TestImages.PngDeclaring(width, height);

        Assert.Equal("Activity.CoverTooManyPixels", (await Assert.ThrowsAsync<DomainException>(() => CoverImageStore.ReadCheckedAsync(new MemoryStream(bytes)))).Code);
        Assert.Equal("Reward.PictureTooManyPixels", (await Assert.ThrowsAsync<DomainException>(() => RewardPictureStore.ReadCheckedAsync(new MemoryStream(bytes)))).Code);
        Assert.Equal("WeddingPhoto.TooManyPixels", (await Assert.ThrowsAsync<DomainException>(() => WeddingPhotoStore.ReadCheckedAsync(new MemoryStream(bytes)))).Code);
    }

    [Fact]
    public async Task APictureAtTheLimits_IsAccepted()
    {
        // 8000 × 5000 = 40 megapixels exactly: the header check lets it through.
        var bytes = TestImages.PngDeclaring(8000, 5000);

        Assert.Equal(bytes, await WeddingPhotoStore.ReadCheckedAsync(new MemoryStream(bytes)));
    }

    [Fact]
    public async Task ABigPhoto_IsStoredAt2048_AndItsThumbnailAt480Wide()
    {
        await Catalog.AddPhotoAsync(_organizer, _hallId, new MemoryStream(TestImages.Jpeg(3000, 2000)));

        var file = Assert.Single(await Catalog.PhotosAsync(_organizer, _hallId)).File;
        var picture = TestImages.Inspect(await File.ReadAllBytesAsync(Path.Combine(PhotoFolder, file)));
        var thumbnail = TestImages.Inspect(await File.ReadAllBytesAsync(Path.Combine(PhotoFolder, ImageUploads.ThumbnailName(file))));
        Assert.Equal((2048, 1365), (picture.Width, picture.Height));
        Assert.Equal((480, 320), (thumbnail.Width, thumbnail.Height));
    }

    [Fact]
    public async Task APngWithTransparency_StaysAPng_AndAnOpaqueOneBecomesAJpeg()
    {
        await Catalog.AddPhotoAsync(_organizer, _hallId, new MemoryStream(TestImages.Png(40, 20, transparent: true)));
        await Catalog.AddPhotoAsync(_organizer, _hallId, new MemoryStream(TestImages.Png(40, 20, transparent: false)));

        var files = (await Catalog.PhotosAsync(_organizer, _hallId)).Select(p => p.File).ToArray();
        Assert.EndsWith(".png", files[0], StringComparison.Ordinal);
        Assert.EndsWith(".jpg", files[1], StringComparison.Ordinal);
        var transparent = await File.ReadAllBytesAsync(Path.Combine(PhotoFolder, files[0]));
        Assert.Equal(0, TestImages.PixelAt(transparent, 5, 10).Alpha);
        Assert.Equal(255, TestImages.PixelAt(transparent, 35, 10).Alpha);
        // Pixels and nothing else: no text, time, colour profile or EXIF chunk (sBIT is the encoder's bit depth note).
        Assert.Subset(new HashSet<string> { "IHDR", "sBIT", "IDAT", "IEND" }, TestImages.PngChunks(transparent).ToHashSet());
    }

    [Fact]
    public async Task ACoverAndARewardPicture_AreStoredCleaned_WithTheirThumbnails()
    {
        var activity = await _city.PublishedActivityAsync(FeatureHost.Start.UtcDateTime.AddDays(10), "封面测试");
        var item = await _host.Scoped<RewardCatalog>().CreateItemAsync(_organizer, new RewardItemDetails
        {
            Name = "环保袋",
            PointsCost = 10,
            Stock = 5,
            OrgNodeId = _city.Community.Id,
        });
        var sent = TestImages.JpegWithExif(64, 48);

        await _host.Scoped<CoverImageStore>().SaveAsync(_organizer, activity, new MemoryStream(sent));
        await _host.Scoped<RewardPictureStore>().SaveAsync(_organizer, item, new MemoryStream(sent));

        var cover = await _host.Scoped<CoverImageStore>().FindAsync(_organizer, activity);
        var coverThumbnail = await _host.Scoped<CoverImageStore>().FindAsync(_organizer, activity, thumbnail: true);
        var picture = await _host.Scoped<RewardPictureStore>().FindAsync(item);
        var pictureThumbnail = await _host.Scoped<RewardPictureStore>().FindAsync(item, thumbnail: true);
        foreach (var path in new[] { cover!.Path, coverThumbnail!.Path, picture!.Path, pictureThumbnail!.Path })
        {
            var bytes = await File.ReadAllBytesAsync(path);
            Assert.DoesNotContain((byte)0xE1, TestImages.JpegHeaderMarkers(bytes));
            Assert.Equal((48, 64), (TestImages.Inspect(bytes).Width, TestImages.Inspect(bytes).Height));
        }

        Assert.NotEqual(cover.Path, coverThumbnail.Path);
        Assert.Equal("image/jpeg", coverThumbnail.ContentType);
        Assert.NotEqual(picture.Path, pictureThumbnail.Path);
    }

    [Fact]
    public async Task PicturesStoredAsSentBeforeCleaning_AreReencodedInPlaceOnce_AndAHostileOneIsMovedAside()
    {
        var folder = Path.Combine(_host.DataPath, "covers");
        Directory.CreateDirectory(folder);
        var old = Path.Combine(folder, "7-0123456789ab.jpg");
        var bomb = Path.Combine(folder, "8-0123456789ab.png");
        await File.WriteAllBytesAsync(old, TestImages.JpegWithExif(64, 48));
        await File.WriteAllBytesAsync(bomb, TestImages.PngDeclaring(100_000, 100_000));

        Assert.Equal(1, await StoredPictures.CleanFolderAsync(folder, NullLogger.Instance, default));

        var cleaned = await File.ReadAllBytesAsync(old);
        Assert.DoesNotContain((byte)0xE1, TestImages.JpegHeaderMarkers(cleaned));
        Assert.Equal((48, 64, SKEncodedImageFormat.Jpeg), (TestImages.Inspect(cleaned).Width, TestImages.Inspect(cleaned).Height, TestImages.Inspect(cleaned).Format));
        Assert.True(File.Exists(Path.Combine(folder, "7-0123456789ab.thumb.jpg")));
        Assert.False(File.Exists(bomb));
        Assert.True(File.Exists(bomb + ".refused"));
        // Done once: the thumbnail marks it.
        Assert.Equal(0, await StoredPictures.CleanFolderAsync(folder, NullLogger.Instance, default));
    }

    [Fact]
    public void PicturesOfTheDataFolder_AreCopiedToALaterConfiguredFilesPath_EachOnce()
    {
        var from = Directory.CreateDirectory(Path.Combine(_host.DataPath, "covers-before")).FullName;
        var to = Directory.CreateDirectory(Path.Combine(_host.DataPath, "shared", "covers")).FullName;
        File.WriteAllBytes(Path.Combine(from, "7-0123456789ab.jpg"), [1, 2, 3]);
        File.WriteAllBytes(Path.Combine(from, "7-0123456789ab.thumb.jpg"), [4, 5]);
        File.WriteAllBytes(Path.Combine(to, "7-0123456789ab.thumb.jpg"), [9]);

        Assert.Equal(1, StoredPictures.CopyMissing(from, to, NullLogger.Instance));
        Assert.Equal(0, StoredPictures.CopyMissing(from, to, NullLogger.Instance));

        Assert.Equal([1, 2, 3], File.ReadAllBytes(Path.Combine(to, "7-0123456789ab.jpg")));
        Assert.Equal([9], File.ReadAllBytes(Path.Combine(to, "7-0123456789ab.thumb.jpg")));
        Assert.True(File.Exists(Path.Combine(from, "7-0123456789ab.jpg")));
    }
}
