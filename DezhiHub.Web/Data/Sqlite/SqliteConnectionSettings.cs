using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace DezhiHub.Web.Data.Sqlite;

/// <summary>
/// What every native SQLite connection of the app gets once (<see cref="SqlitePragmas"/> calls it; the bench's ceiling
/// too): foreign keys, normal syncing in WAL, and how to wait for another connection's write lock — try again every
/// millisecond for up to five seconds. SQLite's own <c>busy_timeout</c> backs off to sleeps of 100 ms, so a waiting
/// writer woke long after the lock was free: with it, the booking bench's POST p99 was 112–173 ms and its first seconds
/// up to 487 ms; with this wait, 97–99 ms and ~230 ms. SQLitePCLRaw does not expose <c>sqlite3_busy_handler</c>, so it is
/// called in the same native library.
/// </summary>
public static class SqliteConnectionSettings
{
    private const string Pragmas = "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";

    /// <summary>About five seconds of one-millisecond waits, SQLite's <c>busy_timeout</c> the app used before.</summary>
    private const int MaxBusyTries = 5000;

    // Kept for the life of the process: native connections call it.
    private static readonly BusyHandler Handler = OnBusy;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int BusyHandler(IntPtr argument, int count);

    public static void Apply(SqliteConnection connection)
    {
        using (var command = connection.CreateCommand())
        {
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
        }

        var handle = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var rc = sqlite3_busy_handler(handle.DangerousGetHandle(), Handler, IntPtr.Zero);
        if (rc != 0)
        {
            throw new InvalidOperationException($"sqlite3_busy_handler failed ({rc}).");
        }
    }

    // count: how many times this wait has already been retried. 0 gives up: the statement fails with SQLITE_BUSY.
    private static int OnBusy(IntPtr argument, int count)
    {
        if (count >= MaxBusyTries)
        {
            return 0;
        }

        Thread.Sleep(1);
        return 1;
    }

#pragma warning disable SYSLIB1054 // A delegate parameter needs the runtime's marshalling.
    [DllImport("e_sqlite3", CallingConvention = CallingConvention.Cdecl)]
    private static extern int sqlite3_busy_handler(IntPtr connection, BusyHandler handler, IntPtr argument);
#pragma warning restore SYSLIB1054
}
