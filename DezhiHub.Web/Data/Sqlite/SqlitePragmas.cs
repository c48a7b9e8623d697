using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DezhiHub.Web.Data.Sqlite;

/// <summary>
/// Per-connection SQLite settings (<see cref="SqliteConnectionSettings"/>: wait for a busy writer instead of failing,
/// enforce foreign keys, normal syncing in WAL). They belong to the native connection, which Microsoft.Data.Sqlite pools
/// and hands out again on the next open, so they are set once per native connection rather than on every open (three
/// statements per open was a measurable part of a check-in). Foreign keys are also switched on by the connection string
/// on every open.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    // Native connections already set up; an entry goes when the pool closes its connection and the handle is collected.
    private static readonly ConditionalWeakTable<object, object> Configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Configure(connection);

    // Microsoft.Data.Sqlite runs statements synchronously even when asked asynchronously: nothing to await here.
    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Configure(connection);
        return Task.CompletedTask;
    }

    private static void Configure(DbConnection connection)
    {
        if (connection is not SqliteConnection { Handle: { } handle } sqlite || Configured.TryGetValue(handle, out _))
        {
            return;
        }

        SqliteConnectionSettings.Apply(sqlite);
        Configured.TryAdd(handle, handle);
    }
}
