using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Auditing;
using DezhiHub.Web.Features.Organization;
using DezhiHub.Web.Platform.Access;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Tests.Features;

public sealed class AuditLogQueryTests : IAsyncLifetime
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
    public async Task Organizers_SeeTheirSubtreesEntries_AdminsSeeAll_ResidentsNone()
    {
        var admin = _city.Admin.Principal;
        var tree = _host.Scoped<OrgTreeService>();
        await tree.CreateAsync(admin, _city.Community.Id, "红星新网格");
        await tree.CreateAsync(admin, _city.OtherCommunity.Id, "和平新网格");
        var query = _host.Scoped<AuditLogQuery>();

        var hongxing = await query.SearchAsync(_city.Organizer.Principal, new AuditFilter("org.created"));
        var all = await query.SearchAsync(admin, new AuditFilter("org.created"));

        Assert.Equal(2, all.Total);
        var only = Assert.Single(hongxing.Items);
        Assert.Contains("红星新网格", only.After);
        var resident = _city.Resident.Principal;
        await Assert.ThrowsAsync<AccessDeniedException>(() => query.SearchAsync(resident, new AuditFilter()));
    }

    [Fact]
    public async Task Filters_ByTextAndTime()
    {
        var admin = _city.Admin.Principal;
        var tree = _host.Scoped<OrgTreeService>();
        await tree.CreateAsync(admin, _city.Community.Id, "早些的网格");
        _host.Clock.Advance(TimeSpan.FromDays(2));
        await tree.CreateAsync(admin, _city.Community.Id, "晚些的网格");
        var query = _host.Scoped<AuditLogQuery>();
        var cut = FeatureHost.Start.UtcDateTime.AddDays(1);

        Assert.Single((await query.SearchAsync(admin, new AuditFilter(FromUtc: cut))).Items);
        // Up to the cut: everything written before it, and not the later change.
        var upToCut = await query.SearchAsync(admin, new AuditFilter(ToUtc: cut, PageSize: 200));
        await using (var db = _host.NewDb())
        {
            Assert.Equal(await db.AuditEntries.CountAsync() - 1, upToCut.Total);
        }

        Assert.Equal(upToCut.Total, upToCut.Items.Count);
        Assert.Contains(upToCut.Items, a => a.After?.Contains("早些", StringComparison.Ordinal) == true);
        Assert.All(upToCut.Items, a => Assert.True(a.OccurredAtUtc <= cut));
        Assert.DoesNotContain(upToCut.Items, a => a.After?.Contains("晚些", StringComparison.Ordinal) == true);
        Assert.Single((await query.SearchAsync(admin, new AuditFilter("晚些"))).Items);
        Assert.Empty((await query.SearchAsync(admin, new AuditFilter("没有这样的内容"))).Items);
    }

    [Theory]
    [InlineData("zh-CN", "新增了组织")]
    [InlineData("en-US", "ADDED AN ORG")]
    public async Task TheSearch_FindsAnActionByTheNameThePageShows(string culture, string text)
    {
        var admin = _city.Admin.Principal;
        await _host.Scoped<OrgTreeService>().CreateAsync(admin, _city.Community.Id, "搜索网格");
        using var _ = DezhiHub.Tests.Components.CultureScope.Use(culture);

        var found = await _host.Scoped<AuditLogQuery>().SearchAsync(admin, new AuditFilter(text));

        Assert.Equal(["org.created"], found.Items.Select(i => i.Action).Distinct());
    }
}
