using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Tests.Features;

/// <summary>
/// Opening an account (the rules the sign-up page used to hold): every problem at once, each beside its field; one
/// account per number, even when two ask for it at the same moment; the audit entry and the welcome notice with it.
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
}
