using System.Globalization;
using Microsoft.Data.Sqlite;

namespace DezhiHub.Bench.Booking;

/// <summary>What the database says after the run, read straight from the file with SQL (not through the app).</summary>
internal sealed record BookingAuditResult(
    int ActiveBookings,
    int OverlappingPairs,
    int OverCapacity,
    int StaleClaims,
    int UnclaimedBookings,
    int CountMismatches,
    int Lost,
    int HallRaceHeld,
    int OfficeRaceHeld)
{
    /// <summary>Any slot held twice: two active bookings of an exclusive service whose times (with buffers) overlap, or a
    /// capacity slot with more active bookings than places (each place too many counts once).</summary>
    public int DoubleBooked => OverlappingPairs + OverCapacity;
}

/// <summary>
/// The double-booking check. It does not trust the claim rows or the counters the engine keeps: it compares the
/// active bookings themselves (a SQL self-join of every exclusive service's bookings on overlapping time, buffer
/// included; a count per capacity slot against its places), then checks the engine's own bookkeeping against them.
/// </summary>
internal static class BookingAudit
{
    private const string Active = "('Requested', 'Approved')";
    private const string Exclusive = "('CeremonyHall', 'FolkSteward')";

    /// <param name="postgres">The PostgreSQL database the app ran on; null for the SQLite file.</param>
    public static async Task<BookingAuditResult> RunAsync(
        string databaseFile, string? postgres, IReadOnlyCollection<int> acknowledged, RaceSlot hallRace, RaceSlot officeRace, CancellationToken cancellationToken)
    {
        await using System.Data.Common.DbConnection connection = postgres is not null
            ? new Npgsql.NpgsqlConnection(postgres)
            : new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = databaseFile,
                Mode = SqliteOpenMode.ReadOnly,
                Pooling = false,
            }.ToString());
        await connection.OpenAsync(cancellationToken);
        // Whole seconds since the epoch, in each engine's words.
        string Seconds(string column) => postgres is not null ? $"CAST(EXTRACT(EPOCH FROM {column}) AS bigint)" : $"CAST(strftime('%s', {column}) AS INTEGER)";

        var activeIds = new HashSet<int>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT \"Id\" FROM \"Bookings\" WHERE \"Status\" IN {Active};";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                activeIds.Add(reader.GetInt32(0));
            }
        }

        // Times are compared as whole seconds since the epoch: no string or floating-point edge at a buffer's end.
        var overlapping = await ScalarAsync(connection, $"""
            SELECT COUNT(*) FROM "Bookings" AS a
            JOIN "Bookings" AS b ON b."ResourceId" = a."ResourceId" AND b."Id" > a."Id"
            JOIN "WeddingResources" AS r ON r."Id" = a."ResourceId"
            WHERE r."Kind" IN {Exclusive} AND a."Status" IN {Active} AND b."Status" IN {Active}
              AND {Seconds("b.\"SlotStartUtc\"")} < {Seconds("a.\"SlotEndUtc\"")} + 60 * r."BufferMinutes"
              AND {Seconds("a.\"SlotStartUtc\"")} < {Seconds("b.\"SlotEndUtc\"")} + 60 * r."BufferMinutes";
            """, cancellationToken);
        var overCapacity = await ScalarAsync(connection, $"""
            SELECT COALESCE(SUM(n - places), 0) FROM (
              SELECT COUNT(*) AS n, MAX(r."Capacity") AS places FROM "Bookings" AS b
              JOIN "WeddingResources" AS r ON r."Id" = b."ResourceId"
              WHERE r."Kind" NOT IN {Exclusive} AND b."Status" IN {Active}
              GROUP BY b."ResourceId", b."SlotStartUtc") AS slots
            WHERE n > places;
            """, cancellationToken);

        // The engine's bookkeeping: claims only of active bookings, every active exclusive booking with its claims,
        // every counter equal to the active bookings of its slot.
        var staleClaims = await ScalarAsync(connection, $"""
            SELECT COUNT(*) FROM "SlotClaims" AS c JOIN "Bookings" AS b ON b."Id" = c."BookingId" WHERE b."Status" NOT IN {Active};
            """, cancellationToken);
        var unclaimed = await ScalarAsync(connection, $"""
            SELECT COUNT(*) FROM "Bookings" AS b JOIN "WeddingResources" AS r ON r."Id" = b."ResourceId"
            WHERE r."Kind" IN {Exclusive} AND b."Status" IN {Active}
              AND NOT EXISTS (SELECT 1 FROM "SlotClaims" AS c WHERE c."BookingId" = b."Id");
            """, cancellationToken);
        var countMismatches = await ScalarAsync(connection, $"""
            SELECT COUNT(*) FROM "SlotCounts" AS s
            WHERE s."Taken" <> (SELECT COUNT(*) FROM "Bookings" AS b
                                WHERE b."ResourceId" = s."ResourceId" AND b."SlotStartUtc" = s."SlotStartUtc" AND b."Status" IN {Active});
            """, cancellationToken);

        var hallHeld = await ScalarAsync(connection, $"SELECT COUNT(*) FROM \"Bookings\" WHERE \"ResourceId\" = {Id(hallRace.ResourceId)} AND \"Status\" IN {Active};", cancellationToken);
        var officeHeld = await ScalarAsync(connection, $"SELECT COUNT(*) FROM \"Bookings\" WHERE \"ResourceId\" = {Id(officeRace.ResourceId)} AND \"Status\" IN {Active};", cancellationToken);

        return new BookingAuditResult(
            activeIds.Count, overlapping, overCapacity, staleClaims, unclaimed, countMismatches,
            acknowledged.Count(id => !activeIds.Contains(id)), hallHeld, officeHeld);
    }

    private static async Task<int> ScalarAsync(System.Data.Common.DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
