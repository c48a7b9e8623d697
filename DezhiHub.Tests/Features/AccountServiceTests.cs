using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Accounts;
using System.Security.Claims;
using DezhiHub.Web.Platform.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DezhiHub.Tests.Features;

/// <summary>
/// Opening an account (the rules the sign-up page used to hold): every problem at once, each beside its field; one
/// account per number, even when two ask for it at the same moment; the audit entry and the welcome notice with it;
/// a new number on the profile only with the current password, and one person per number there too.
/// </summary>
public sealed class AccountServiceTests : IAsyncLifetime
{
    private FeatureHost _host = default!;

    public async Task InitializeAsync() => _host = await FeatureHost.CreateAsync(demoData: false);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task AFormWithEveryFieldWrong_GetsEveryProblemBesideItsField_AndNoAccount()
    {
        var result = await _host.Scoped<AccountService>().RegisterAsync(
            new SignUpForm("12345", "", "12345678", "87654321", OrgNodeId: 999_999), "203.0.113.5");

        Assert.False(result.Succeeded);
        Assert.Equal(
            [nameof(SignUpForm.ConfirmPassword), nameof(SignUpForm.OrgNodeId), nameof(SignUpForm.Password), nameof(SignUpForm.Phone), nameof(SignUpForm.RealName)],
            result.FieldErrors.Select(e => e.Field).Distinct().Order());
        await using var db = _host.NewDb();
        Assert.Equal(0, await db.Users.CountAsync());
    }

    [Fact]
    public async Task TwoSignUpsWithOneNumberAtOnce_OpenOneAccount_AndTheOtherIsToldTheNumberIsTaken()
    {
        var form = new SignUpForm("138 0013 8000", "王芳", "taihang-river-2027", "taihang-river-2027", null);

        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ =>
            Task.Run(() => _host.Scoped<AccountService>().RegisterAsync(form, "203.0.113.6"))));

        var opened = Assert.Single(results, r => r.Succeeded);
        var refused = Assert.Single(results, r => !r.Succeeded);
        Assert.NotEmpty(refused.Errors);
        await using var db = _host.NewDb();
        var user = await db.Users.SingleAsync();
        Assert.Equal(opened.User!.Id, user.Id);
        Assert.Equal("13800138000", user.PhoneNumber);
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == "user.registered" && e.EntityId == user.Id.ToString()));
        Assert.Equal(1, await db.Notifications.CountAsync(n => n.UserId == user.Id));
    }

    [Fact]
    public async Task ANewNumberOnTheProfile_NeedsTheCurrentPassword_AndIsAudited()
    {
        var (user, principal, scope) = await SignedUpAsync("13800138001", "李娜");
        using (scope)
        {
            var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
            var refused = await accounts.UpdateProfileAsync(principal, user, new ProfileForm("13800138002", "李娜", "not the password", null));
            Assert.Equal([nameof(ProfileForm.CurrentPassword)], refused.FieldErrors.Select(e => e.Field));

            var changed = await accounts.UpdateProfileAsync(principal, user, new ProfileForm("138-0013-8002", "李娜", Password, null));
            Assert.True(changed.Succeeded);
        }

        await using var db = _host.NewDb();
        Assert.Equal("13800138002", (await db.Users.SingleAsync(u => u.Id == user.Id)).PhoneNumber);
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == "user.profile.updated" && e.EntityId == user.Id.ToString()));
    }

    [Fact]
    public async Task TwoPeopleTakingOneNewNumberAtOnce_OneGetsIt_TheOtherIsToldItIsTaken()
    {
        var first = await SignedUpAsync("13800138011", "张伟");
        var second = await SignedUpAsync("13800138012", "王磊");

        var results = await Task.WhenAll(new[] { first, second }.Select(p => Task.Run(() =>
            p.Scope.ServiceProvider.GetRequiredService<AccountService>().UpdateProfileAsync(p.Principal, p.User, new ProfileForm("13800138013", p.User.RealName, Password, null)))));
        first.Scope.Dispose();
        second.Scope.Dispose();

        Assert.Single(results, r => r.Succeeded);
        Assert.NotEmpty(Assert.Single(results, r => !r.Succeeded).Errors);
        await using var db = _host.NewDb();
        Assert.Equal(1, await db.Users.CountAsync(u => u.PhoneNumber == "13800138013"));
    }

    private const string Password = "taihang-river-2027";

    /// <summary>A new account, signed in: the user as its own scope tracks it, the principal, and that scope.</summary>
    private async Task<(AppUser User, ClaimsPrincipal Principal, IServiceScope Scope)> SignedUpAsync(string phone, string name)
    {
        var opened = await _host.Scoped<AccountService>().RegisterAsync(new SignUpForm(phone, name, Password, Password, null), "203.0.113.7");
        Assert.True(opened.Succeeded);
        var scope = _host.Get<IServiceScopeFactory>().CreateScope();
        var user = (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByIdAsync(opened.User!.Id.ToString()))!;
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<AppUser>>().CreateAsync(user);
        return (user, principal, scope);
    }
}
