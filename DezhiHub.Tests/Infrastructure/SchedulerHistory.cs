using Npgsql;

namespace DezhiHub.Tests.Infrastructure;

/// <summary>
/// The cluster's shared record of scheduled-job runs (Quartz's <c>qrtz_execution_history</c>, written by every
/// instance on PostgreSQL): how the tests count the firings of a sweep across instances they cannot reach into.
/// </summary>
public static class SchedulerHistory
{
    public sealed record Run(string Instance, string FireId, DateTime FiredUtc, bool Succeeded);

    /// <summary>The finished runs of the job named <paramref name="job"/> (group dezhihub), oldest first.</summary>
    public static async Task<IReadOnlyList<Run>> RunsAsync(string connectionString, string job)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT instance_name, fire_instance_id, fired_time, succeeded FROM qrtz_execution_history WHERE job_group = 'dezhihub' AND job_name = @job ORDER BY fired_time",
            connection);
        command.Parameters.AddWithValue("job", job);
        var runs = new List<Run>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            // Quartz keeps its times as UTC ticks.
            runs.Add(new Run(reader.GetString(0), reader.GetString(1), new DateTime(reader.GetInt64(2), DateTimeKind.Utc), reader.GetBoolean(3)));
        }

        return runs;
    }

    /// <summary>The cluster's members as Quartz sees them: each instance and when it last checked in.</summary>
    public static async Task<IReadOnlyList<(string Instance, DateTime CheckedInUtc)>> MembersAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT instance_name, last_checkin_time FROM qrtz_scheduler_state ORDER BY instance_name", connection);
        var members = new List<(string, DateTime)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            members.Add((reader.GetString(0), new DateTime(reader.GetInt64(1), DateTimeKind.Utc)));
        }

        return members;
    }

    /// <summary>The shortest time between two runs that followed each other: far below the interval means one firing ran twice.</summary>
    public static TimeSpan ShortestGap(IReadOnlyList<Run> runs) =>
        runs.Count < 2 ? TimeSpan.MaxValue : runs.Zip(runs.Skip(1), (a, b) => b.FiredUtc - a.FiredUtc).Min();
}
