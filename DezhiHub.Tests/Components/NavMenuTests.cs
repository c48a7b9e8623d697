using Bunit;
using DezhiHub.Domain.Accounts;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Components.Layout;

namespace DezhiHub.Tests.Components;

public sealed class NavMenuTests : IAsyncLifetime
{
    private static readonly string[] ManagementHrefs = ["/admin/users", "/admin/org", "/admin/audit"];

    private static readonly string[] ManagerHrefs = ["/activities/manage", "/coverage", "/volunteers", "/points/awards", "/admin/users", "/admin/org", "/admin/audit"];

    private readonly ComponentHost _host = ComponentHost.CreateBare();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public void Visitor_SeesOnlyHomeAndActivities()
    {
        using var culture = CultureScope.Use("zh-CN");

        var links = Links(_host.Bunit.Render<NavMenu>());

        Assert.Equal([("/", "首页"), ("/activities", "活动")], links);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(Roles.Volunteer)]
    [InlineData(Roles.Partner)]
    public void SignedInWithoutManagementRole_SeesOwnPagesButNoManagementLinks(string? role)
    {
        using var culture = CultureScope.Use("zh-CN");
        _host.SignIn(Principals.For(6, "赵磊", role is null ? [] : [role]));

        var cut = _host.Bunit.Render<NavMenu>();

        // Their own pages, in this order (other features' own pages may sit between them); no manager's page.
        var links = Links(cut);
        (string?, string)[] own = [("/", "首页"), ("/activities", "活动"), ("/activities/mine", "我的活动"), ("/volunteer", "我的志愿"), ("/volunteer/card", "我的志愿者卡"), ("/notifications", "通知"), ("/account/profile", "个人资料")];
        Assert.Equal(own, links.Where(own.Contains));
        Assert.DoesNotContain(links, l => ManagerHrefs.Contains(l.Href));
        Assert.DoesNotContain("管理", cut.Markup);
    }

    [Theory]
    [InlineData(Roles.Organizer, "zh-CN", "人员管理", "组织架构", "审计日志")]
    [InlineData(Roles.Admin, "zh-CN", "人员管理", "组织架构", "审计日志")]
    [InlineData(Roles.Admin, "en-US", "People", "Organisation", "Audit log")]
    public void Manager_SeesPeopleOrganisationAndAuditLinks(string role, string cultureName, string people, string org, string audit)
    {
        using var culture = CultureScope.Use(cultureName);
        _host.SignIn(Principals.For(2, "李秀英", role));

        var links = Links(_host.Bunit.Render<NavMenu>());

        Assert.Equal([("/admin/users", people), ("/admin/org", org), ("/admin/audit", audit)], links.Where(l => ManagementHrefs.Contains(l.Href)));
    }

    [Theory]
    [InlineData(Roles.Organizer, "zh-CN", "志愿者", "积分审批")]
    [InlineData(Roles.Admin, "en-US", "Volunteers", "Award approvals")]
    public void Manager_SeesVolunteersAndAwardApprovals(string role, string cultureName, string volunteers, string approvals)
    {
        using var culture = CultureScope.Use(cultureName);
        _host.SignIn(Principals.For(2, "李秀英", role));

        var links = Links(_host.Bunit.Render<NavMenu>());

        Assert.Contains(("/volunteers", volunteers), links);
        Assert.Contains(("/points/awards", approvals), links);
    }

    private static List<(string? Href, string Text)> Links(IRenderedComponent<NavMenu> cut) =>
        [.. cut.FindAll("a").Select(a => (a.GetAttribute("href"), a.TextContent.Trim()))];
}
