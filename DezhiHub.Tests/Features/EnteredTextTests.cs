using DezhiHub.Domain.Activities;
using DezhiHub.Domain.Market;
using DezhiHub.Domain;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Activities;
using DezhiHub.Web.Features.Market;
using DezhiHub.Web.Features.Organization;
using DezhiHub.Web.Platform.Files;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Tests.Features;

/// <summary>
/// Names and titles entered through the services reach the database without invisible characters, and a
/// right-to-left override is refused with its own message and changes nothing. Real SQLite.
/// </summary>
public sealed class EnteredTextTests : IAsyncLifetime
{
    private FeatureHost _host = default!;
    private TestCity _city = default!;

    public async Task InitializeAsync()
    {
        _host = await FeatureHost.CreateAsync(demoData: false);
        _city = await TestCity.CreateAsync(_host);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task AnActivityTitleAndPlace_WithZeroWidthCharacters_AreStoredWithoutThem()
    {
        var organizer = _city.Organizer.Principal;

        var id = (await _host.Scoped<ActivityService>().CreateAsync(organizer, await DetailsAsync() with
        {
            Title = "\uFEFF红色\u200B歌曲\u200D教唱",
            Place = "红星社区\u2060活动室\u200C",
        })).Single();

        await using var db = _host.NewDb();
        var stored = await db.Activities.AsNoTracking().SingleAsync(a => a.Id == id);
        Assert.Equal(("红色歌曲教唱", "红星社区活动室"), (stored.Title, stored.Place));
        // Found by what it looks like.
        Assert.Single((await _host.Scoped<ActivityService>().SearchAsync(organizer, new ActivityFilter(Text: "红色歌曲教唱", Managed: true))).Items);
    }

    [Fact]
    public async Task AnActivityTitleWithARightToLeftOverride_IsRefused_AndNothingIsCreated()
    {
        var organizer = _city.Organizer.Principal;
        await using var db = _host.NewDb();
        var before = await db.Activities.CountAsync();
        var details = await DetailsAsync() with { Title = "报名\u202Egpj.exe" };

        var refusal = await Assert.ThrowsAsync<DomainException>(() => _host.Scoped<ActivityService>().CreateAsync(organizer, details));

        Assert.Equal(PersonText.DirectionControlCode, refusal.Code);
        Assert.Equal(before, await db.Activities.CountAsync());
    }

    [Fact]
    public async Task AnOrgNodeRenamedWithAnOverride_IsRefused_AndKeepsItsName()
    {
        var admin = _city.Admin.Principal;
        var hongxing = _city.Community.Id;

        var refusal = await Assert.ThrowsAsync<DomainException>(() => _host.Scoped<OrgTreeService>().RenameAsync(admin, hongxing, "\u202E区社星红"));

        Assert.Equal(PersonText.DirectionControlCode, refusal.Code);
        Assert.Equal(hongxing, _city.Community.Id);
    }

    [Fact]
    public async Task AThemeAndARewardItem_AreStoredWithoutInvisibleCharacters()
    {
        var admin = _city.Admin.Principal;
        var theme = await _host.Scoped<ThemeService>().CreateAsync(admin, "\u200B廉洁\u200B文化");
        var item = await _host.Scoped<RewardCatalog>().CreateItemAsync(admin, new RewardItemDetails
        {
            Name = "环保\u200D购物袋\uFEFF",
            PointsCost = 10,
            Stock = 5,
            OrgNodeId = _city.Community.Id,
        });

        await using var db = _host.NewDb();
        Assert.Equal("廉洁文化", await db.ActivityThemes.Where(t => t.Id == theme).Select(t => t.Name).SingleAsync());
        Assert.Equal("环保购物袋", await db.RewardItems.Where(i => i.Id == item).Select(i => i.Name).SingleAsync());
    }

    [Fact]
    public void ExportedCells_LoseDirectionControlsStoredEarlier_AndStillCannotStartAFormula()
    {
        Assert.Equal("\"王建国\"", Csv.Field("王\u202E建国\u200B"));
        Assert.Equal("\"'=HYPERLINK(\"\"x\"\")\"", Csv.Field("\u200B=HYPERLINK(\"x\")"));
    }

    private async Task<ActivityDetails> DetailsAsync()
    {
        await using var db = _host.NewDb();
        var theme = await db.ActivityThemes.Select(t => t.Id).FirstAsync();
        var start = FeatureHost.Start.UtcDateTime.AddDays(30);
        return new ActivityDetails
        {
            Title = "测试活动",
            Entry = EightEntry.Communities,
            ThemeIds = [theme],
            OrgNodeId = _city.Community.Id,
            Place = "活动室",
            StartUtc = start,
            EndUtc = start.AddHours(2),
            Capacity = 5,
        };
    }

    /// <summary>Rule 49 of decision 0014: ten Admins creating the same theme at once make one, and nobody gets an error.</summary>
    [Fact]
    public async Task TenParallelCreationsOfOneTheme_MakeOne_WithoutAnError()
    {
        var admin = _city.Admin.Principal;
        var mark = _host.Logs.Mark;
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
        {
            try
            {
                await _host.Scoped<ThemeService>().CreateAsync(admin, "同名主题");
                return "ok";
            }
            catch (DomainException ex)
            {
                return ex.Code;
            }
        })));

        Assert.Single(outcomes, o => o == "ok");
        Assert.All(outcomes.Where(o => o != "ok"), o => Assert.Equal("Theme.DuplicateName", o));
        Assert.DoesNotContain(_host.Logs.Since(mark), e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }
}
