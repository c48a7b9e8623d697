using System.Security.Claims;
using DezhiHub.Web.Platform.Identity;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace DezhiHub.Web.Features.Accounts;

/// <summary>
/// The server's authentication state, re-checked every minute while a circuit is connected: its session must still be
/// open (<see cref="UserSessions"/>: "sign out everywhere") and its security stamp current (a password or number
/// change, a role change). Either signs the open tabs out, as the cookie check does for the next request. Written out rather than derived from
/// <see cref="RevalidatingServerAuthenticationStateProvider"/>, whose wait throws a cancellation exception when the
/// scope ends — on every statically rendered request (each phone scan is two of them), not only at circuit end.
/// </summary>
internal sealed class IdentityRevalidatingAuthenticationStateProvider : ServerAuthenticationStateProvider, IDisposable
{
    public static readonly TimeSpan RevalidationInterval = TimeSpan.FromMinutes(1);

    private static readonly AuthenticationState SignedOut = new(new ClaimsPrincipal(new ClaimsIdentity()));

    private readonly IServiceScopeFactory _scopeFactory;
    private readonly IOptions<IdentityOptions> _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<IdentityRevalidatingAuthenticationStateProvider> _logger;
    private CancellationTokenSource? _loop;
    private int _waits;

    public IdentityRevalidatingAuthenticationStateProvider(
        IServiceScopeFactory scopeFactory,
        IOptions<IdentityOptions> options,
        TimeProvider clock,
        ILogger<IdentityRevalidatingAuthenticationStateProvider> logger)
    {
        _scopeFactory = scopeFactory;
        _options = options;
        _clock = clock;
        _logger = logger;
        AuthenticationStateChanged += state =>
        {
            _loop?.Cancel();
            _loop?.Dispose();
            _loop = new CancellationTokenSource();
            _ = RevalidateAsync(state, _loop.Token);
        };
    }

    /// <summary>How many waits for a check have begun (the first at sign-in, then one after each check): tests step
    /// the clock only once the loop is waiting on it.</summary>
    internal int WaitsStarted => Volatile.Read(ref _waits);

    public void Dispose()
    {
        _loop?.Cancel();
        _loop?.Dispose();
        _loop = null;
    }

    private async Task RevalidateAsync(Task<AuthenticationState> stateTask, CancellationToken cancellationToken)
    {
        var state = await stateTask;
        if (state.User.Identity?.IsAuthenticated != true)
        {
            return;
        }

        while (true)
        {
            // Ends quietly when the scope does: no exception for the (usual) case of a request that is over.
            var wait = Task.Delay(RevalidationInterval, _clock, cancellationToken);
            Interlocked.Increment(ref _waits);
            await wait.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            bool valid;
            try
            {
                valid = await IsCurrentAsync(state.User);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Re-checking the signed-in user failed; signing the circuit out.");
                valid = false;
            }

            if (!valid)
            {
                if (!cancellationToken.IsCancellationRequested)
                {
                    SetAuthenticationState(Task.FromResult(SignedOut));
                }

                return;
            }
        }
    }

    private async Task<bool> IsCurrentAsync(ClaimsPrincipal principal)
    {
        // A scope of its own: fresh data, not the circuit's long-lived services.
        await using var scope = _scopeFactory.CreateAsyncScope();
        if (!await scope.ServiceProvider.GetRequiredService<UserSessions>().IsOpenAsync(principal))
        {
            return false;
        }

        var userManager = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await userManager.GetUserAsync(principal);
        if (user is null)
        {
            return false;
        }

        if (!userManager.SupportsUserSecurityStamp)
        {
            return true;
        }

        var principalStamp = principal.FindFirstValue(_options.Value.ClaimsIdentity.SecurityStampClaimType);
        return principalStamp == await userManager.GetSecurityStampAsync(user);
    }
}
