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
    private TestCity _city = default!;

    public async Task InitializeAsync()
    {
        _host = await FeatureHost.CreateAsync(demoData: false);
        _city = await TestCity.CreateAsync(_host);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private UserAdminService Service => _host.Scoped<UserAdminService>();

    [Fact]
    public async Task Admin_SeesEveryone_WithFullNumbers()
    {
        var page = await Service.SearchAsync(_city.Admin.Principal, new UserFilter(PageSize: 200));
        await using var db = _host.NewDb();
        Assert.Equal(await db.Users.CountAsync(), page.Total);
        Assert.Contains(page.Items, u => u.Phone == TestCity.ResidentPhone);
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
            var user = await db.Users.SingleAsync(u => u.PhoneNumber == TestCity.ResidentPhone);
            user.RealName = "Anna Schmidt";
            await db.SaveChangesAsync();
        }

        var page = await Service.SearchAsync(_city.Admin.Principal, new UserFilter(Text: text));
        Assert.Equal(TestCity.ResidentPhone, Assert.Single(page.Items).Phone);
        Assert.Single((await Service.SearchAsync(_city.Admin.Principal, new UserFilter(Text: _city.Organizer.Name))).Items);
    }

    [Fact]
    public async Task Organizer_SeesOnlyTheirSubtree_WithMaskedNumbers()
    {
        var organizer = _city.Organizer.Principal;
        var page = await Service.SearchAsync(organizer, new UserFilter(PageSize: 200));

        Assert.NotEmpty(page.Items);
        Assert.All(page.Items, u => Assert.StartsWith("测试市 / 测试区 / 测试街道 / 东湖社区", u.OrgName));
        Assert.Contains(page.Items, u => u.RealName == _city.Resident.Name && u.Phone == "137****0006");
        Assert.DoesNotContain(page.Items, u => u.RealName == _city.OtherOrganizer.Name); // the other community's organizer
    }

    [Fact]
    public async Task Organizer_CannotReadOrChangeAnotherCommunitysPeople()
    {
        var organizer = _city.Organizer.Principal;
        var hepingOrganizer = _city.OtherOrganizer.Id;
        var heping = _city.OtherCommunity.Id;
        var hongxing = _city.Community.Id;

        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.GetAsync(organizer, hepingOrganizer));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.SearchAsync(organizer, new UserFilter(OrgNodeId: heping)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.UpdateAsync(organizer, hepingOrganizer, [Roles.Organizer], hongxing));

        await using var db = _host.NewDb();
        Assert.Equal(heping, await db.Users.Where(u => u.Id == hepingOrganizer).Select(u => u.OrgNodeId).SingleAsync());
    }

    [Fact]
    public async Task Organizer_MovesAResidentWithinTheirCommunity_ButCannotGrantRoles()
    {
        var organizer = _city.Organizer.Principal;
        var resident = _city.Resident.Id;
        var thirdCell = _city.Grid1.Id; // the resident lives in the second

        await Service.UpdateAsync(organizer, resident, [], thirdCell);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.UpdateAsync(organizer, resident, [Roles.Admin], thirdCell));
        var heping = _city.OtherCommunity.Id;
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.UpdateAsync(organizer, resident, [], heping));

        await using var db = _host.NewDb();
        Assert.Equal(thirdCell, await db.Users.Where(u => u.Id == resident).Select(u => u.OrgNodeId).SingleAsync());
        Assert.False(await db.UserRoles.AnyAsync(ur => ur.UserId == resident));
    }

    [Fact]
    public async Task Admin_GrantsARole_AuditedNotifiedAndTheOldCookieInvalidated()
    {
        var admin = _city.Admin.Principal;
        var resident = _city.Resident.Id;
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
        Assert.Equal(_city.Admin.Name, audit.ActorName);
        Assert.True(await db.Notifications.AnyAsync(n => n.UserId == resident && n.MessageKey == "Notify.RolesChanged"));
    }

    [Fact]
    public async Task TheLastAdmin_CannotLoseTheRole()
    {
        var admin = _city.Admin.Principal;
        var adminId = _city.Admin.Id;
        var orgNodeId = (await Service.GetAsync(admin, adminId)).OrgNodeId;
        var error = await Assert.ThrowsAsync<DomainException>(() => Service.UpdateAsync(admin, adminId, [], orgNodeId));

        Assert.Equal("Users.LastAdmin", error.Code);
        Assert.Contains(Roles.Admin, (await Service.GetAsync(admin, adminId)).Roles);
    }

    /// <summary>Rule 45 of decision 0014, run ten times: on PostgreSQL both demotions passed the count before the lock.</summary>
    [Fact]
    public async Task TwoAdminsDemotingEachOtherAtOnce_LeaveAtLeastOneAdmin()
    {
        var first = _city.Admin.Principal;
        var firstId = _city.Admin.Id;
        var secondId = _city.OtherOrganizer.Id;
        var city = await _host.OrgIdAsync("测试市");
        var second = _city.OtherOrganizer.Principal;
        for (var round = 0; round < 10; round++)
        {
            // Both are Admins again: whoever is left promotes the other.
            var (left, other) = await IsAdminAsync(firstId) ? (first, secondId) : (second, firstId);
            await Service.UpdateAsync(left, other, [Roles.Admin], city);
            // Signed in again: the principals carry the roles the database has now.
            second = await _host.SignInAsAsync(TestCity.OtherOrganizerPhone);
            first = await _host.SignInAsAsync(TestCity.AdminPhone);

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
        var admin = _city.Admin.Principal;
        var error = await Assert.ThrowsAsync<DomainException>(() => Service.UpdateAsync(admin, 1, ["SuperUser"], null));
        Assert.Equal("Users.UnknownRole", error.Code);
    }

    [Fact]
    public async Task CsvExport_IsScopedAndNeutralisesFormulas()
    {
        var admin = _city.Admin.Principal;
        var resident = _city.Resident.Id;
        await using (var db = _host.NewDb())
        {
            var user = await db.Users.SingleAsync(u => u.Id == resident);
            user.RealName = "=HYPERLINK(\"http://x\")";
            await db.SaveChangesAsync();
        }

        var organizer = _city.Organizer.Principal;
        var csv = await Service.ExportCsvAsync(organizer, new UserFilter(), k => k, d => d.ToString("O"));

        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("\"Users.Name\"", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("\"'=HYPERLINK", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("西湖社区", StringComparison.Ordinal));
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
}
