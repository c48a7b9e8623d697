using System.Runtime.CompilerServices;
using DezhiHub.Web.Features.Leaderboards;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Data;

/// <summary>
/// The two board queries that must stay fast on a city of 100,000 volunteers, in SQL so their join order is stated
/// rather than guessed. SQLite cannot tell how many people a
/// <c>Path LIKE '/1/4/%'</c> matches, so it would walk the value index for every board: right for the city (the first
/// 50 values are 50 people of the city), hundreds of milliseconds for a community (it walks half the city to find
/// 50 of its 100 people). The caller says which shape fits from the subtree's share of the org nodes; CROSS JOIN is
/// SQLite's way to fix the join order, and the statements are plain SQL otherwise. Table and column names come from
/// <see cref="Source"/> (a fixed list), values are parameters.
/// </summary>
internal static class LeaderboardSql
{
    public sealed class Leader
    {
        public int UserId { get; set; }

        public long Value { get; set; }

        public string RealName { get; set; } = "";

        public string Path { get; set; } = "";
    }

    /// <summary>
    /// The top <paramref name="top"/> people of the subtree at <paramref name="path"/>: from the subtree's people to
    /// their values when the subtree is small (<paramref name="peopleFirst"/>), else down the value index, keeping the
    /// subtree's people, until there are enough.
    /// </summary>
    public static Task<List<Leader>> TopAsync(
        AppDbContext db, LeaderboardMetric metric, LeaderboardPeriod period, string? key, string path, int top, bool peopleFirst, CancellationToken cancellationToken)
    {
        var (table, column, periodFilter) = Source(metric, period);
        var from = peopleFirst
            ? $"""FROM "OrgNodes" AS n CROSS JOIN "AspNetUsers" AS u CROSS JOIN "{table}" AS s"""
            : $"""FROM "{table}" AS s CROSS JOIN "AspNetUsers" AS u CROSS JOIN "OrgNodes" AS n""";
        var sql = $"""
            SELECT s."UserId" AS "UserId", s."{column}" AS "Value", u."RealName" AS "RealName", n."Path" AS "Path"
            {from}
            WHERE {InSubtree} AND u."OrgNodeId" = n."Id" AND s."UserId" = u."Id" AND s."{column}" > 0{periodFilter}
            ORDER BY s."{column}" DESC, s."UserId"
            LIMIT {"{2}"}
            """;
        return db.Database.SqlQuery<Leader>(FormattableStringFactory.Create(sql, Prefix(path), key ?? "", top, path, UpperBound(path))).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// How many people of the subtree have a value strictly greater than <paramref name="value"/>. Counted over the
    /// subtree's people when it holds at most half the tree; otherwise as everyone above the value (an index-only
    /// count) minus those outside the subtree — so the cost is the smaller side, never the whole city.
    /// </summary>
    public static async Task<int> CountAboveAsync(
        AppDbContext db, LeaderboardMetric metric, LeaderboardPeriod period, string? key, string path, long value, bool inside, CancellationToken cancellationToken)
    {
        var (table, column, periodFilter) = Source(metric, period);
        var above = $"""s."UserId" = u."Id" AND s."{column}" > {"{2}"}{periodFilter}""";
        var sql = inside
            ? $"""
                SELECT count(*) AS "Value"
                FROM "OrgNodes" AS n CROSS JOIN "AspNetUsers" AS u CROSS JOIN "{table}" AS s
                WHERE {InSubtree} AND u."OrgNodeId" = n."Id" AND {above}
                """
            : $"""
                SELECT
                    (SELECT count(*) FROM "{table}" AS s WHERE s."{column}" > {"{2}"}{periodFilter})
                    - (SELECT count(*) FROM "OrgNodes" AS n CROSS JOIN "AspNetUsers" AS u CROSS JOIN "{table}" AS s
                       WHERE n."Path" NOT LIKE {"{0}"} ESCAPE '\' AND u."OrgNodeId" = n."Id" AND {above})
                    - (SELECT count(*) FROM "AspNetUsers" AS u CROSS JOIN "{table}" AS s WHERE u."OrgNodeId" IS NULL AND {above})
                    AS "Value"
                """;
        return await db.Database.SqlQuery<int>(FormattableStringFactory.Create(sql, Prefix(path), key ?? "", value, path, UpperBound(path))).SingleAsync(cancellationToken);
    }

    /// <summary>Where a board's values live: all time on the profile's cached totals, a month or year on its totals row ({1} is the period).</summary>
    private static (string Table, string Column, string PeriodFilter) Source(LeaderboardMetric metric, LeaderboardPeriod period) => (metric, period) switch
    {
        (LeaderboardMetric.Hours, LeaderboardPeriod.AllTime) => ("VolunteerProfiles", "TotalMinutes", ""),
        (LeaderboardMetric.Points, LeaderboardPeriod.AllTime) => ("VolunteerProfiles", "PointsEarned", ""),
        (LeaderboardMetric.Hours, _) => ("VolunteerPeriodTotals", "Minutes", """ AND s."Period" = {1}"""),
        _ => ("VolunteerPeriodTotals", "PointsEarned", """ AND s."Period" = {1}"""),
    };

    /// <summary>
    /// The subtree of {3}: the LIKE says it, the range on the same prefix ({3} ≤ Path &lt; {4}) lets SQLite search
    /// the Path index and tells it how few nodes match — without it, it builds a Bloom filter over every profile.
    /// </summary>
    private const string InSubtree = """n."Path" LIKE {0} ESCAPE '\' AND n."Path" >= {3} AND n."Path" < {4}""";

    /// <summary>The first string after every path that starts with <paramref name="path"/> ("/1/4/" → "/1/40": '0' follows '/').</summary>
    private static string UpperBound(string path) => path[..^1] + (char)(path[^1] + 1);

    /// <summary>"/1/4/" as a LIKE pattern for everything at or below it.</summary>
    private static string Prefix(string path) =>
        path.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%";
}
