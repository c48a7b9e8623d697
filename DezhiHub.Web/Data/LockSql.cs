using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Data;

/// <summary>
/// Row locks taken first in a transaction so that the checks after them cannot race (decision 0014, mechanism c): a
/// no-op UPDATE of a parent row. On PostgreSQL it row-locks until commit, so a second transaction of the same person
/// waits and then, statement by statement, sees what the first committed; on SQLite it is a write under the database
/// lock the transaction already holds. Lock order, everywhere: person, then activity or lottery date or item.
/// </summary>
internal static class LockSql
{
    /// <summary>The person lock: serializes one person's bookings, sign-ups and pledges.</summary>
    public static Task PersonAsync(AppDbContext db, int userId, CancellationToken cancellationToken) =>
        db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.CardVersion, u => u.CardVersion), cancellationToken);

    /// <summary>
    /// The activity lock (decision 0013's no-op write of its waitlist counter): sign-ups, cancellations of sign-ups and
    /// the activity's own cancellation take it before reading its state and its registrations.
    /// </summary>
    public static Task ActivityAsync(AppDbContext db, int activityId, CancellationToken cancellationToken) =>
        db.Activities.Where(a => a.Id == activityId).ExecuteUpdateAsync(s => s.SetProperty(a => a.WaitlistIssued, a => a.WaitlistIssued), cancellationToken);

    /// <summary>
    /// An org node's lock, taken only while the node is live (false when it is retired): adding, renaming or moving a
    /// child takes its parent's, retiring takes the node's own, so sibling names stay distinct and no child lands under a
    /// node that is being retired.
    /// </summary>
    public static async Task<bool> LiveOrgNodeAsync(AppDbContext db, int nodeId, CancellationToken cancellationToken) =>
        await db.OrgNodes.Where(n => n.Id == nodeId && !n.IsRetired)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.IsRetired, n => n.IsRetired), cancellationToken) == 1;

    /// <summary>
    /// The ledger lock: the person's ledger account row (<c>VolunteerProfiles</c>), created if missing, then locked. Every
    /// post updates that row anyway; taking it first makes the post's "has this source posted already?" read exact.
    /// </summary>
    public static async Task LedgerAsync(AppDbContext db, int userId, DateTime nowUtc, CancellationToken cancellationToken)
    {
        await LedgerSql.EnsureAccountAsync(db, userId, nowUtc, cancellationToken);
        await db.VolunteerProfiles.Where(p => p.UserId == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.StarLevel, p => p.StarLevel), cancellationToken);
    }

    /// <summary>
    /// Locks a lottery date that still collects entries; false when it is drawn, past its deadline or gone. An entry takes
    /// it, so the draw and the date's removal (which begin by writing that row) wait for entries in flight and then
    /// see them.
    /// </summary>
    public static async Task<bool> CollectingLotteryAsync(AppDbContext db, DateOnly date, DateTime nowUtc, CancellationToken cancellationToken) =>
        await db.LotteryDates.Where(l => l.Date == date && l.DrawnAtUtc == null && l.DeadlineUtc > nowUtc)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.DeadlineUtc, l => l.DeadlineUtc), cancellationToken) == 1;

    /// <summary>A role's row: taken before a change that could leave the role without members (the last Admin).</summary>
    public static Task RoleAsync(AppDbContext db, int roleId, CancellationToken cancellationToken) =>
        db.Roles.Where(r => r.Id == roleId).ExecuteUpdateAsync(s => s.SetProperty(r => r.ConcurrencyStamp, r => r.ConcurrencyStamp), cancellationToken);

    /// <summary>
    /// A lock on a name with no row to lock (a mobile number not yet registered, a theme name, a lottery date), held
    /// until the transaction ends: on PostgreSQL a transaction-scoped advisory lock on the name's 64-bit hash; on SQLite
    /// nothing more is needed, as the transaction (BEGIN IMMEDIATE) already holds the database's write lock. Call inside
    /// a transaction.
    /// </summary>
    public static Task NameAsync(AppDbContext db, string name, CancellationToken cancellationToken) =>
        db.Database.IsNpgsql()
            ? db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock(hashtextextended({name}, 0))", cancellationToken)
            : Task.CompletedTask;

    /// <summary>
    /// Held while an instance prepares the database after migrating it (roles, shared keys, demo data), so instances
    /// starting at once do it one after the other and the later ones find it done. EF Core locks the migrations
    /// themselves. On PostgreSQL a session advisory lock on a connection of its own (outside the pool, released
    /// explicitly); on SQLite nothing: one instance serves a SQLite file.
    /// </summary>
    public static async Task<IAsyncDisposable> StartupAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        if (!db.Database.IsNpgsql())
        {
            return NoLock.Instance;
        }

        var connection = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var command = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_lock({StartupLockKey})", connection))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return new HeldLock(connection);
    }

    // Any fixed 64-bit number: the one session lock the app takes ("DezhiHub" in ASCII).
    private const long StartupLockKey = 0x44657A6869487562;

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class HeldLock(Npgsql.NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using (connection)
            {
                await using var command = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_unlock({StartupLockKey})", connection);
                await command.ExecuteNonQueryAsync();
            }
        }
    }

    /// <summary>The name <see cref="NameAsync"/> locks before an account takes a mobile number (at registration or a change).</summary>
    public static string AccountNumber(string phone) => "account-number:" + phone;
}
