using DezhiHub.Domain.Accounts;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Tests.Features;

/// <summary>The production first-run path: no demo data, the first Admin made from the command line.</summary>
public sealed class CreateAdminCommandTests : IAsyncLifetime
{
    private FeatureHost _host = default!;

    public async Task InitializeAsync() => _host = await FeatureHost.CreateAsync(demoData: false);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task CreatesTheCityAndTheFirstAdmin_WithAHashedPassword()
    {
        var output = new StringWriter();
        var exit = await CreateAdminCommand.RunAsync(_host.Services, ["--phone", "139 1234 5678", "--name", "钱管理", "--city", "太行市"], output, Typed("a long passphrase"));

        Assert.Equal(0, exit);
        Assert.Contains("13912345678", output.ToString());
        Assert.DoesNotContain("a long passphrase", output.ToString());
        await using var db = _host.NewDb();
        var user = await db.Users.SingleAsync();
        Assert.Equal("钱管理", user.RealName);
        Assert.NotEqual("a long passphrase", user.PasswordHash);
        Assert.StartsWith("AQAAAA", user.PasswordHash); // Identity v3 (PBKDF2) format
        var city = await db.OrgNodes.SingleAsync();
        Assert.Equal(("太行市", "/" + city.Id + "/"), (city.Name, city.Path));
        Assert.True(await db.UserRoles.AnyAsync(ur => ur.UserId == user.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Admin)));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "user.admin-created"));
    }

    [Fact]
    public async Task ACommonPassword_IsRefusedWithAReason_AndNothingIsCreated()
    {
        var output = new StringWriter();
        var exit = await CreateAdminCommand.RunAsync(_host.Services, ["--phone", "13912345678", "--name", "钱管理", "--city", "太行市"], output, Typed("12345678"));

        Assert.Equal(1, exit);
        Assert.Contains("太常见", output.ToString()); // zh-CN is the default culture
        await using var db = _host.NewDb();
        Assert.False(await db.Users.AnyAsync());
        Assert.False(await db.OrgNodes.AnyAsync());
    }

    [Fact]
    public async Task DifferentRepeats_BadNumbers_AndAMissingCity_CreateNothing()
    {
        var output = new StringWriter();
        var answers = new Queue<string>(["first passphrase", "second passphrase"]);
        Assert.Equal(1, await CreateAdminCommand.RunAsync(_host.Services, ["--phone", "13912345678", "--name", "钱"], output, () => answers.Dequeue()));
        Assert.Equal(2, await CreateAdminCommand.RunAsync(_host.Services, ["--phone", "12345", "--name", "钱"], output, Typed("a long passphrase")));
        Assert.Equal(2, await CreateAdminCommand.RunAsync(_host.Services, ["--phone", "13912345678", "--name", "钱"], output, Typed("a long passphrase")));

        await using var db = _host.NewDb();
        Assert.False(await db.Users.AnyAsync());
    }

    private static Func<string?> Typed(string password) => () => password;
}
