using System.Runtime.ExceptionServices;
using System.Security.Claims;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Platform.Identity;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DezhiHub.Tests.Features;

/// <summary>
/// <see cref="IdentityRevalidatingAuthenticationStateProvider"/>: a connected circuit is re-checked against the user's
/// security stamp every 30 minutes; a request that ends before then ends quietly.
/// </summary>
public sealed class AuthenticationRevalidationTests : IAsyncLifetime
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
    public async Task AStampChangedAfterSignIn_SignsTheCircuitOutAtTheNextCheck_NotBefore()
    {
        using var scope = _host.Services.CreateScope();
        var (user, provider) = await SignedInCircuitAsync(scope);

        // A check with the stamp unchanged keeps the user signed in.
        await StepToNextCheckAsync(provider);
        await WaitUntilAsync(() => provider.WaitsStarted == 2);
        Assert.True(await IsSignedInAsync(provider));

        // The password changes elsewhere (a new stamp): still signed in until the next check, then signed out.
        using (var other = _host.Services.CreateScope())
        {
            var otherUsers = other.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            await otherUsers.UpdateSecurityStampAsync(await otherUsers.FindByIdAsync(user.Id.ToString()) ?? throw new InvalidOperationException());
        }

        _host.Clock.Advance(IdentityRevalidatingAuthenticationStateProvider.RevalidationInterval - TimeSpan.FromSeconds(1));
        Assert.True(await IsSignedInAsync(provider));
        _host.Clock.Advance(TimeSpan.FromSeconds(1));
        await WaitUntilAsync(async () => !await IsSignedInAsync(provider));
    }

    [Fact]
    public async Task ASessionEndedElsewhere_SignsTheCircuitOutAtTheNextCheck()
    {
        using var scope = _host.Services.CreateScope();
        var (user, provider) = await SignedInCircuitAsync(scope);

        // "Sign out everywhere" from the person's phone: the desktop's open page follows within a minute.
        await _host.Get<UserSessions>().EndAllAsync(user.Id);
        Assert.True(await IsSignedInAsync(provider));
        await StepToNextCheckAsync(provider);

        await WaitUntilAsync(async () => !await IsSignedInAsync(provider));
    }

    [Fact]
    public async Task AnAnonymousState_IsNeverChecked()
    {
        using var scope = _host.Services.CreateScope();
        var provider = (IdentityRevalidatingAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        var changes = 0;
        provider.AuthenticationStateChanged += _ => changes++;

        // A state that is already known starts its first wait inside SetAuthenticationState, before it returns.
        provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity()))));
        Assert.Equal(0, provider.WaitsStarted);
        _host.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, changes);

        // The same provider given a signed-in person waits at once: the count above would have shown a wait.
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.Users.SingleAsync(u => u.PhoneNumber == _city.Volunteer.Phone);
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<AppUser>>().CreateAsync(user);
        provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        Assert.Equal(1, provider.WaitsStarted);
    }

    [Fact]
    public async Task AScopeThatEndsBeforeTheFirstCheck_StopsTheWait_WithoutThrowing()
    {
        // What every statically rendered request does: the framework sets the state, the request ends, the scope is
        // disposed. The framework's base class threw a TaskCanceledException each time (~2,000/s at the door).
        var thrown = new List<Exception>();
        void Record(object? sender, FirstChanceExceptionEventArgs e)
        {
            // The handler runs on the throwing thread: the waiting method is on the stack (ours, or the framework's loop).
            var stack = Environment.StackTrace;
            if (stack.Contains("RevalidateAsync", StringComparison.Ordinal) || stack.Contains("RevalidationLoop", StringComparison.Ordinal))
            {
                lock (thrown)
                {
                    thrown.Add(e.Exception);
                }
            }
        }

        using var scope = _host.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.Users.SingleAsync(u => u.PhoneNumber == _city.Volunteer.Phone);
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<AppUser>>().CreateAsync(user);
        AppDomain.CurrentDomain.FirstChanceException += Record;
        try
        {
            for (var i = 0; i < 50; i++)
            {
                using var request = _host.Services.CreateScope();
                var provider = (IdentityRevalidatingAuthenticationStateProvider)request.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
                provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
                await Task.Yield();
            }

            await Task.Delay(200);
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Record;
        }

        Assert.Empty(thrown);
    }

    /// <summary>A circuit's provider holding the volunteer's principal with an open session, as a real sign-in gives.</summary>
    private async Task<(AppUser User, IdentityRevalidatingAuthenticationStateProvider Provider)> SignedInCircuitAsync(IServiceScope scope)
    {
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.Users.SingleAsync(u => u.PhoneNumber == _city.Volunteer.Phone);
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<AppUser>>().CreateAsync(user);
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(UserSessions.ClaimType, await _host.Get<UserSessions>().StartAsync(user.Id)));
        var provider = (IdentityRevalidatingAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        return (user, provider);
    }

    /// <summary>Moves the clock to the next check once the loop is waiting for it (not on a guess of how long that takes).</summary>
    private async Task StepToNextCheckAsync(IdentityRevalidatingAuthenticationStateProvider provider)
    {
        Assert.True(provider.WaitsStarted > 0, "the provider is not waiting for a check");
        _host.Clock.Advance(IdentityRevalidatingAuthenticationStateProvider.RevalidationInterval);
        await Task.Yield();
    }

    private static async Task<bool> IsSignedInAsync(AuthenticationStateProvider provider) =>
        (await provider.GetAuthenticationStateAsync()).User.Identity?.IsAuthenticated == true;

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    /// <summary>Polls for an outcome; the bound is generous because a starved CI machine may take seconds for one query.</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 600; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail("The condition did not become true within 30 s.");
    }
}
