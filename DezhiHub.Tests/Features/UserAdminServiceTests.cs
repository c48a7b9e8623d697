using DezhiHub.Domain.Accounts;
using DezhiHub.Domain;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Users;
using DezhiHub.Web.Platform.Access;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Tests.Features;

public sealed class UserAdminServiceTests : IAsyncLifetime
{
    private FeatureHost _host = default!;

    public async Task InitializeAsync() => _host = await FeatureHost.CreateAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private UserAdminService Service => _host.Scoped<UserAdminService>();

    [Fact]
    public async Task Admin_SeesEveryone_WithFullNumbers()
    {
        var page = await Service.SearchAsync(await _host.SignInAsAsync(Demo.Admin), new UserFilter(PageSize: 200));
        await using var db = _host.NewDb();
        Assert.Equal(await db.Users.CountAsync(), page.Total);
        Assert.Contains(page.Items, u => u.Phone == Demo.Resident);
    }

    /// <summary>Latin names match in any case on both engines ("anna" and "ANNA" find "Anna Schmidt"); Chinese names as typed.</summary>
    [Theory]
    [InlineData("anna")]
    [InlineData("ANNA SCH")]
    [InlineData("Schmidt")]
    public async Task NameSearch_IgnoresCase(string text)
    {
        await using (var db = _host.NewDb())
        {
            var user = await db.Users.SingleAsync(u => u.PhoneNumber == Demo.Resident);
            user.RealName = "Anna Schmidt";
            await db.SaveChangesAsync();
        }

        var page = await Service.SearchAsync(await _host.SignInAsAsync(Demo.Admin), new UserFilter(Text: text));
        Assert.Equal(Demo.Resident, Assert.Single(page.Items).Phone);
        Assert.Single((await Service.SearchAsync(await _host.SignInAsAsync(Demo.Admin), new UserFilter(Text: "李秀英"))).Items);
    }

    [Fact]
    public async Task Organizer_SeesOnlyTheirSubtree_WithMaskedNumbers()
    {
        var organizer = await _host.SignInAsAsync(Demo.OrganizerHongxing);
        var page = await Service.SearchAsync(organizer, new UserFilter(PageSize: 200));

        Assert.NotEmpty(page.Items);
        Assert.All(page.Items, u => Assert.StartsWith("太行市 / 城区 / 东街街道 / 红星社区", u.OrgName));
        Assert.Contains(page.Items, u => u.RealName == "赵磊" && u.Phone == "138****0006");
        Assert.DoesNotContain(page.Items, u => u.RealName == "张伟"); // the other community's organizer
    }

    [Fact]
    public async Task Organizer_CannotReadOrChangeAnotherCommunitysPeople()
    {
        var organizer = await _host.SignInAsAsync(Demo.OrganizerHongxing);
        var hepingOrganizer = await UserIdAsync(Demo.OrganizerHeping);
        var heping = await _host.OrgIdAsync("和平社区");
        var hongxing = await _host.OrgIdAsync("红星社区");

        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.GetAsync(organizer, hepingOrganizer));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.SearchAsync(organizer, new UserFilter(OrgNodeId: heping)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.UpdateAsync(organizer, hepingOrganizer, [Roles.Organizer], hongxing));

        await using var db = _host.NewDb();
        Assert.Equal(heping, await db.Users.Where(u => u.Id == hepingOrganizer).Select(u => u.OrgNodeId).SingleAsync());
    }

    [Fact]
    public async Task Organizer_MovesAResidentWithinTheirCommunity_ButCannotGrantRoles()
    {
        var organizer = await _host.SignInAsAsync(Demo.OrganizerHongxing);
        var resident = await UserIdAsync(Demo.Resident);
        var thirdCell = await CellAsync("红星社区", "第三网格");

        await Service.UpdateAsync(organizer, resident, [], thirdCell);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.UpdateAsync(organizer, resident, [Roles.Admin], thirdCell));
        var heping = await _host.OrgIdAsync("和平社区");
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.UpdateAsync(organizer, resident, [], heping));

        await using var db = _host.NewDb();
        Assert.Equal(thirdCell, await db.Users.Where(u => u.Id == resident).Select(u => u.OrgNodeId).SingleAsync());
        Assert.False(await db.UserRoles.AnyAsync(ur => ur.UserId == resident));
    }

    [Fact]
    public async Task Admin_GrantsARole_AuditedNotifiedAndTheOldCookieInvalidated()
    {
        var admin = await _host.SignInAsAsync(Demo.Admin);
        var resident = await UserIdAsync(Demo.Resident);
        string stampBefore;
        await using (var before = _host.NewDb())
        {
            stampBefore = (await before.Users.SingleAsync(u => u.Id == resident)).SecurityStamp!;
        }

        var row = await Service.GetAsync(admin, resident);
        await Service.UpdateAsync(admin, resident, [Roles.Volunteer], row.OrgNodeId);

        Assert.Equal([Roles.Volunteer], (await Service.GetAsync(admin, resident)).Roles);
        await using var db = _host.NewDb();
        Assert.NotEqual(stampBefore, (await db.Users.SingleAsync(u => u.Id == resident)).SecurityStamp);
        var audit = await db.AuditEntries.SingleAsync(a => a.Action == "user.updated");
        Assert.Contains("\"Roles\":[]", audit.Before);
        Assert.Contains("Volunteer", audit.After);
        Assert.Equal("王建国", audit.ActorName);
        Assert.True(await db.Notifications.AnyAsync(n => n.UserId == resident && n.MessageKey == "Notify.RolesChanged"));
    }

    [Fact]
    public async Task TheLastAdmin_CannotLoseTheRole()
    {
        var admin = await _host.SignInAsAsync(Demo.Admin);
        var adminId = await UserIdAsync(Demo.Admin);
        var orgNodeId = (await Service.GetAsync(admin, adminId)).OrgNodeId;
        var error = await Assert.ThrowsAsync<DomainException>(() => Service.UpdateAsync(admin, adminId, [], orgNodeId));

        Assert.Equal("Users.LastAdmin", error.Code);
        Assert.Contains(Roles.Admin, (await Service.GetAsync(admin, adminId)).Roles);
    }

    /// <summary>Rule 45 of decision 0014, run ten times: on PostgreSQL both demotions passed the count before the lock.</summary>
    [Fact]
    public async Task TwoAdminsDemotingEachOtherAtOnce_LeaveAtLeastOneAdmin()
    {
        var first = await _host.SignInAsAsync(Demo.Admin);
        var firstId = await UserIdAsync(Demo.Admin);
        var secondId = await UserIdAsync(Demo.OrganizerHeping);
        var city = await _host.OrgIdAsync("太行市");
        var second = await _host.SignInAsAsync(Demo.OrganizerHeping);
        for (var round = 0; round < 10; round++)
        {
            // Both are Admins again: whoever is left promotes the other.
            var (left, other) = await IsAdminAsync(firstId) ? (first, secondId) : (second, firstId);
            await Service.UpdateAsync(left, other, [Roles.Admin], city);
            second = await _host.SignInAsAsync(Demo.OrganizerHeping);
            first = await _host.SignInAsAsync(Demo.Admin);

            var results = await Task.WhenAll(
                Attempt(() => Task.Run(() => _host.Scoped<UserAdminService>().UpdateAsync(first, secondId, [], city))),
                Attempt(() => Task.Run(() => _host.Scoped<UserAdminService>().UpdateAsync(second, firstId, [], city))));

            await using var db = _host.NewDb();
            var adminRole = await db.Roles.Where(r => r.Name == Roles.Admin).Select(r => r.Id).SingleAsync();
            Assert.Equal(1, await db.UserRoles.CountAsync(ur => ur.RoleId == adminRole));
            Assert.Single(results, r => r is null);
            Assert.Single(results, r => r is DomainException { Code: "Users.LastAdmin" });
        }
    }

    private async Task<bool> IsAdminAsync(int userId)
    {
        await using var db = _host.NewDb();
        return await db.UserRoles.AnyAsync(ur => ur.UserId == userId && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Admin));
    }

    [Fact]
    public async Task UnknownRoles_AreRefused()
    {
        var admin = await _host.SignInAsAsync(Demo.Admin);
        var error = await Assert.ThrowsAsync<DomainException>(() => Service.UpdateAsync(admin, 1, ["SuperUser"], null));
        Assert.Equal("Users.UnknownRole", error.Code);
    }

    [Fact]
    public async Task CsvExport_IsScopedAndNeutralisesFormulas()
    {
        var admin = await _host.SignInAsAsync(Demo.Admin);
        var resident = await UserIdAsync(Demo.Resident);
        await using (var db = _host.NewDb())
        {
            var user = await db.Users.SingleAsync(u => u.Id == resident);
            user.RealName = "=HYPERLINK(\"http://x\")";
            await db.SaveChangesAsync();
        }

        var organizer = await _host.SignInAsAsync(Demo.OrganizerHongxing);
        var csv = await Service.ExportCsvAsync(organizer, new UserFilter(), k => k, d => d.ToString("O"));

        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("\"Users.Name\"", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("\"'=HYPERLINK", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("和平社区", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("13800000006", StringComparison.Ordinal)); // masked for organizers
    }

    private static async Task<Exception?> Attempt(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    private async Task<int> UserIdAsync(string phone)
    {
        await using var db = _host.NewDb();
        return await db.Users.Where(u => u.PhoneNumber == phone).Select(u => u.Id).SingleAsync();
    }

    private async Task<int> CellAsync(string community, string cell)
    {
        var communityId = await _host.OrgIdAsync(community);
        await using var db = _host.NewDb();
        return await db.OrgNodes.Where(n => n.ParentId == communityId && n.Name == cell).Select(n => n.Id).SingleAsync();
    }
}
