using System.Collections.Concurrent;
using DezhiHub.Web.Platform.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace DezhiHub.Web.Features.Accounts;

/// <summary>
/// Password sign-in that answers an unknown number exactly as it answers a known one with a wrong password: the same
/// message, the same cost (a password hash is checked either way — 210,000 PBKDF2 rounds, ~150 ms), and a lockout after
/// the same number of failures. Without this, ~5 ms against ~150 ms told anyone which numbers have accounts.
/// See docs/decisions/0011-account-enumeration.md.
/// </summary>
public sealed class PasswordSignIn(
    SignInManager<AppUser> signInManager,
    UserManager<AppUser> userManager,
    IPasswordHasher<AppUser> hasher,
    AccountProbeLimits limits,
    IOptions<IdentityOptions> identityOptions)
{
    public async Task<SignInResult> SignInAsync(string phone, string password, bool remember)
    {
        var lockout = identityOptions.Value.Lockout;
        var user = await userManager.FindByNameAsync(phone);
        if (user is null)
        {
            limits.SpendDecoyHash(hasher, password);
            return limits.FailUnknownNumber(phone, lockout.MaxFailedAccessAttempts, lockout.DefaultLockoutTimeSpan)
                ? SignInResult.LockedOut
                : SignInResult.Failed;
        }

        if (await userManager.IsLockedOutAsync(user))
        {
            // Identity answers a locked account without hashing; hash anyway, or the lockout page comes back fast.
            limits.SpendDecoyHash(hasher, password);
            return SignInResult.LockedOut;
        }

        return await signInManager.PasswordSignInAsync(user, password, remember, lockoutOnFailure: true);
    }
}

/// <summary>
/// In-memory counters that make probing for accounts slow: failed sign-ins of numbers without an account (locked out
/// like real ones), and "this number is already registered" answers per client address. Per instance, by design: they
/// slow a prober down; they are not the security boundary (rate limits and lockout of real accounts are).
/// </summary>
public sealed class AccountProbeLimits(TimeProvider clock)
{
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, (int Count, DateTime WindowEndsUtc)> _counts = new(StringComparer.Ordinal);
    private string? _decoyHash;

    /// <summary>Checks a password against a hash made with the app's own hasher settings, and throws the answer away.</summary>
    public void SpendDecoyHash(IPasswordHasher<AppUser> hasher, string password)
    {
        // Made once, by the app's hasher: the hash records its round count, so checking it costs what a real one does.
        var decoy = _decoyHash ??= hasher.HashPassword(new AppUser(), Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
        _ = hasher.VerifyHashedPassword(new AppUser(), decoy, password);
    }

    /// <summary>Counts a failed sign-in of a number without an account; true when that number is now "locked out".</summary>
    public bool FailUnknownNumber(string phone, int maxFailures, TimeSpan lockout) =>
        Add($"signin:{phone}", lockout) >= maxFailures;

    /// <summary>
    /// Has this address been told "already registered" <paramref name="perHour"/> times this hour? Then every
    /// registration from it waits — not only duplicates, or "wait" would itself say the number is taken.
    /// </summary>
    public bool DuplicateAnswersExhausted(string clientAddress, int perHour) => Current($"dup:{clientAddress}") >= perHour;

    public void CountDuplicateAnswer(string clientAddress) => Add($"dup:{clientAddress}", TimeSpan.FromHours(1));

    private int Current(string key) =>
        _counts.TryGetValue(key, out var entry) && entry.WindowEndsUtc > clock.GetUtcNow().UtcDateTime ? entry.Count : 0;

    private int Add(string key, TimeSpan window)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (_counts.Count > MaxEntries)
        {
            foreach (var stale in _counts.Where(e => e.Value.WindowEndsUtc <= now).Select(e => e.Key).ToList())
            {
                _counts.TryRemove(stale, out _);
            }
        }

        return _counts.AddOrUpdate(
            key,
            _ => (1, now + window),
            (_, entry) => entry.WindowEndsUtc > now ? (entry.Count + 1, entry.WindowEndsUtc) : (1, now + window)).Count;
    }
}
