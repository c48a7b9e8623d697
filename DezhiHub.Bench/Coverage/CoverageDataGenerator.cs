using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DezhiHub.Domain.Accounts;
using DezhiHub.Domain.Activities;
using DezhiHub.Domain.Organization;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Platform.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace DezhiHub.Bench.Coverage;

/// <summary>
/// Fills a database with the app's real schema (its own migrations) with a city-sized dataset: 10 districts × 10 streets
/// × 10 communities (1,000) with 5–6 grid cells each (5,500), 100,000 residents, 60,000 activities over one year and
/// about 1.2 million sign-ups. Deterministic (seeded), and with gaps on purpose: every community never carries two of the
/// eight entries, two districts never reach one entry each, and one street has no activity at all.
/// Raw ADO with prepared, reused commands in one transaction: the one place in the repository where that is right.
/// </summary>
internal static class CoverageDataGenerator
{
    /// <summary>Bump when the generated data changes, so a cached folder of an older shape is rebuilt.</summary>
    public const string Version = "coverage-v1";

    public const int Year = 2026;
    public const int Districts = 10;
    public const int StreetsPerDistrict = 10;
    public const int CommunitiesPerStreet = 10;
    public const int Residents = 100_000;
    public const int ActivityCount = 60_000;
    public const string AdminPhone = "13800000001";

    private const string MarkerFile = "generated.json";
    private const string Password = "bench-taihang-2026";

    private static readonly TimeSpan ShanghaiOffset = TimeSpan.FromHours(8);

    /// <summary>"Now" of the generated city: activities before it are over (completed), later ones still published.</summary>
    public static readonly DateTime NowUtc = new(Year, 11, 27, 1, 0, 0, DateTimeKind.Utc);

    private static readonly string[] DistrictNames = ["城区", "高新区", "阳城县", "陵川县", "沁水县", "高平市", "泽州县", "开发区", "东城区", "西城区"];
    private static readonly string[] Themes = ["太行精神", "红色基因传承", "党史学习教育", "家风家教", "移风易俗", "志愿服务"];
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "郭", "马", "胡", "朱"];
    private static readonly string[] GivenNames = ["秀兰", "国强", "丽娟", "志刚", "海燕", "建华", "春梅", "晓东", "玉珍", "红军", "桂英", "文博", "子涵", "浩然", "雨桐", "一诺"];
    private static readonly string[] CellNames = ["第一网格", "第二网格", "第三网格", "第四网格", "第五网格", "第六网格"];

    public sealed record Summary(string Version, int OrgNodes, int Communities, int GridCells, int Residents, int Activities, int Counted, long SignUps, double Seconds);

    /// <summary>The cached data folder's summary, generating it first when missing or of another version.</summary>
    public static async Task<(Summary Summary, bool Generated)> EnsureAsync(string dataPath, bool regenerate, CancellationToken cancellationToken)
    {
        var marker = Path.Combine(dataPath, MarkerFile);
        if (!regenerate && File.Exists(marker))
        {
            var cached = JsonSerializer.Deserialize<Summary>(await File.ReadAllTextAsync(marker, cancellationToken));
            if (cached?.Version == Version && File.Exists(AppServices.DatabaseFile(dataPath)))
            {
                // Later migrations (another feature's tables or indexes) are applied to the cached data as the app would.
                await using var upgrade = AppServices.Build(dataPath);
                await upgrade.InitializeDatabaseAsync(cancellationToken);
                return (cached, false);
            }
        }

        if (Directory.Exists(dataPath))
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dataPath, recursive: true);
        }

        Directory.CreateDirectory(dataPath);
        var stopwatch = Stopwatch.StartNew();
        string passwordHash;
        await using (var services = AppServices.Build(dataPath))
        {
            await services.InitializeDatabaseAsync(cancellationToken);
            passwordHash = services.GetRequiredService<IPasswordHasher<AppUser>>().HashPassword(new AppUser(), Password);
        }

        SqliteConnection.ClearAllPools();
        var summary = Fill(AppServices.DatabaseFile(dataPath), passwordHash, cancellationToken) with { Seconds = Math.Round(stopwatch.Elapsed.TotalSeconds, 1) };
        await File.WriteAllTextAsync(marker, JsonSerializer.Serialize(summary), cancellationToken);
        return (summary, true);
    }

    private static Summary Fill(string databaseFile, string passwordHash, CancellationToken cancellationToken)
    {
        var random = new Random(20261127);
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databaseFile, Pooling = false }.ToString());
        connection.Open();
        // Bulk-load settings for this one connection; the app's own settings (WAL, foreign keys) apply again afterwards.
        Execute(connection, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -400000; PRAGMA foreign_keys = OFF; PRAGMA temp_store = MEMORY;");

        using (var transaction = connection.BeginTransaction())
        {
            var tree = InsertOrgTree(connection, transaction);
            InsertUsers(connection, transaction, tree, passwordHash, random);
            InsertThemes(connection, transaction);
            var (counted, signUps) = InsertActivities(connection, transaction, tree, random, cancellationToken);
            transaction.Commit();

            Execute(connection, "PRAGMA journal_mode = WAL;");
            var broken = Scalar(connection, "SELECT count(*) FROM pragma_foreign_key_check;");
            if (broken != 0)
            {
                throw new BenchException($"generated data breaks {broken} foreign keys");
            }

            return new Summary(Version, tree.All.Count, tree.Communities.Count, tree.GridCells.Count, Residents, ActivityCount, counted, signUps, 0);
        }
    }

    private sealed record Node(int Id, int? ParentId, string Name, OrgLevel Level, string Path, int DistrictIndex, int CommunityIndex);

    private sealed class Tree
    {
        public List<Node> All { get; } = [];

        public List<Node> Districts { get; } = [];

        public List<Node> Streets { get; } = [];

        public List<Node> Communities { get; } = [];

        public List<Node> GridCells { get; } = [];

        public Dictionary<int, List<Node>> CellsOfCommunity { get; } = [];
    }

    private static Tree InsertOrgTree(SqliteConnection connection, SqliteTransaction transaction)
    {
        var tree = new Tree();
        using var insert = Prepare(connection, transaction,
            "INSERT INTO OrgNodes (Id, ParentId, Name, Level, Path, IsRetired) VALUES ($id, $parent, $name, $level, $path, 0)",
            "$id", "$parent", "$name", "$level", "$path");
        var nextId = 1;
        Node Add(Node? parent, string name, OrgLevel level, int district, int community)
        {
            var id = nextId++;
            var node = new Node(id, parent?.Id, name, level, $"{parent?.Path ?? "/"}{id}/", district, community);
            Run(insert, id, (object?)parent?.Id ?? DBNull.Value, name, level.ToString(), node.Path);
            tree.All.Add(node);
            return node;
        }

        var city = Add(null, "太行市", OrgLevel.City, -1, -1);
        for (var d = 0; d < Districts; d++)
        {
            var district = Add(city, DistrictNames[d], OrgLevel.District, d, -1);
            tree.Districts.Add(district);
            for (var s = 0; s < StreetsPerDistrict; s++)
            {
                var street = Add(district, $"{DistrictNames[d]}第{s + 1}街道", OrgLevel.Street, d, -1);
                tree.Streets.Add(street);
                for (var c = 0; c < CommunitiesPerStreet; c++)
                {
                    var index = tree.Communities.Count;
                    var community = Add(street, $"{DistrictNames[d]}{s + 1}街{c + 1}社区", OrgLevel.Community, d, index);
                    tree.Communities.Add(community);
                    var cells = new List<Node>();
                    for (var g = 0; g < 5 + (index % 2); g++)
                    {
                        cells.Add(Add(community, CellNames[g], OrgLevel.GridCell, d, index));
                    }

                    tree.GridCells.AddRange(cells);
                    tree.CellsOfCommunity[community.Id] = cells;
                }
            }
        }

        return tree;
    }

    private static void InsertUsers(SqliteConnection connection, SqliteTransaction transaction, Tree tree, string passwordHash, Random random)
    {
        using var insert = Prepare(connection, transaction,
            "INSERT INTO AspNetUsers (Id, RealName, OrgNodeId, CreatedAtUtc, UserName, NormalizedUserName, EmailConfirmed, PasswordHash, " +
            "SecurityStamp, ConcurrencyStamp, PhoneNumber, PhoneNumberConfirmed, TwoFactorEnabled, LockoutEnabled, AccessFailedCount) " +
            "VALUES ($id, $name, $org, $created, $phone, $phone, 0, $hash, $stamp, $concurrency, $phone, 0, 0, 1, 0)",
            "$id", "$name", "$org", "$created", "$phone", "$hash", "$stamp", "$concurrency");
        var created = new DateTime(Year - 1, 12, 1, 0, 0, 0, DateTimeKind.Utc);
        // User 1 is the city's Admin (the activities' creator); the rest are residents spread over the grid cells.
        for (var id = 1; id <= Residents; id++)
        {
            var phone = id == 1 ? AdminPhone : (13900000000L + id).ToString(CultureInfo.InvariantCulture);
            var name = Surnames[random.Next(Surnames.Length)] + GivenNames[random.Next(GivenNames.Length)];
            var org = id == 1 ? tree.All[0].Id : tree.GridCells[random.Next(tree.GridCells.Count)].Id;
            Run(insert, id, name, org, created.AddMinutes(id), phone, passwordHash, Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString());
        }

        using var role = Prepare(connection, transaction,
            "INSERT INTO AspNetUserRoles (UserId, RoleId) SELECT 1, Id FROM AspNetRoles WHERE Name = $role", "$role");
        Run(role, Roles.Admin);
    }

    private static void InsertThemes(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var insert = Prepare(connection, transaction, "INSERT INTO ActivityThemes (Id, Name, IsRetired) VALUES ($id, $name, 0)", "$id", "$name");
        for (var i = 0; i < Themes.Length; i++)
        {
            Run(insert, i + 1, Themes[i]);
        }
    }

    private static (int Counted, long SignUps) InsertActivities(SqliteConnection connection, SqliteTransaction transaction, Tree tree, Random random, CancellationToken cancellationToken)
    {
        using var activity = Prepare(connection, transaction,
            "INSERT INTO Activities (Id, Title, Description, Entry, OrgNodeId, OrgPath, Place, StartUtc, EndUtc, Capacity, SignUpRequired, " +
            "WalkInsAllowed, PointsPerHour, Status, CancelReason, ConfirmedCount, CreatedByUserId, CreatedAtUtc, UpdatedAtUtc, PublishedAtUtc, " +
            "SignUpClosedAtUtc, CompletedAtUtc) VALUES ($id, $title, $description, $entry, $org, $path, $place, $start, $end, $capacity, 1, " +
            "$walkIns, 10, $status, $reason, $confirmed, 1, $created, $created, $published, $closed, $completed)",
            "$id", "$title", "$description", "$entry", "$org", "$path", "$place", "$start", "$end", "$capacity", "$walkIns", "$status", "$reason",
            "$confirmed", "$created", "$published", "$closed", "$completed");
        using var theme = Prepare(connection, transaction, "INSERT INTO ActivityThemeLink (ActivityId, ThemeId) VALUES ($activity, $theme)", "$activity", "$theme");
        using var registration = Prepare(connection, transaction,
            "INSERT INTO Registrations (ActivityId, UserId, Status, SignedUpAtUtc, ConfirmedAtUtc, CancelledAtUtc) VALUES ($activity, $user, $status, $at, $confirmedAt, $cancelledAt)",
            "$activity", "$user", "$status", "$at", "$confirmedAt", "$cancelledAt");

        var entries = Enum.GetValues<EightEntry>();
        var emptyStreet = tree.Streets[^1];
        var counted = 0;
        long signUps = 0;
        var chosen = new HashSet<int>();
        for (var id = 1; id <= ActivityCount; id++)
        {
            if (id % 10_000 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var host = PickHost(tree, random, emptyStreet);
            var entry = PickEntry(host, entries, random);
            var day = random.Next(365);
            var localStart = new DateTime(Year, 1, 1, 8, 0, 0).AddDays(day).AddMinutes(30 * random.Next(22));
            var startUtc = DateTime.SpecifyKind(localStart - ShanghaiOffset, DateTimeKind.Utc);
            var endUtc = startUtc.AddMinutes(60 + (30 * random.Next(5)));
            var roll = random.NextDouble();
            var status = roll < 0.07 ? ActivityStatus.Cancelled
                : roll < 0.10 ? ActivityStatus.Draft
                : endUtc <= NowUtc ? ActivityStatus.Completed
                : ActivityStatus.Published;
            int? capacity = random.NextDouble() < 0.3 ? null : 20 + (10 * random.Next(7));
            var wanted = status == ActivityStatus.Draft ? 0 : 5 + random.Next(31);
            var confirmed = capacity is { } cap ? Math.Min(wanted, cap) : wanted;
            var waitlisted = status != ActivityStatus.Draft && capacity is { } c2 && wanted > c2 ? wanted - c2 : 0;
            var cancelled = status == ActivityStatus.Draft ? 0 : random.Next(3);
            var created = startUtc.AddDays(-14);
            var published = status == ActivityStatus.Draft ? (object)DBNull.Value : created;
            var themeId = 1 + random.Next(Themes.Length);

            Run(activity, id, $"{Themes[themeId - 1]}{EntryText(entry)}活动 第{id}场", "红色文化\"八进\"活动。", entry.ToString(), host.Id, host.Path,
                $"{host.Name}党群服务中心", startUtc, endUtc, (object?)capacity ?? DBNull.Value, random.Next(2), status.ToString(),
                status == ActivityStatus.Cancelled ? "天气原因，改期举行。" : DBNull.Value, confirmed, created, published,
                status is ActivityStatus.Completed or ActivityStatus.Published && startUtc <= NowUtc ? startUtc : DBNull.Value,
                status == ActivityStatus.Completed ? endUtc : DBNull.Value);
            Run(theme, id, themeId);

            chosen.Clear();
            var people = confirmed + waitlisted + cancelled;
            var signedUp = created.AddHours(1);
            for (var p = 0; p < people; p++)
            {
                int user;
                do
                {
                    user = 2 + random.Next(Residents - 1);
                }
                while (!chosen.Add(user));

                signedUp = signedUp.AddMinutes(1 + random.Next(90));
                var state = p < confirmed ? RegistrationStatus.Confirmed : p < confirmed + waitlisted ? RegistrationStatus.Waitlisted : RegistrationStatus.Cancelled;
                Run(registration, id, user, state.ToString(), signedUp,
                    state == RegistrationStatus.Confirmed ? signedUp : DBNull.Value,
                    state == RegistrationStatus.Cancelled ? signedUp.AddHours(2) : DBNull.Value);
            }

            signUps += people;
            if (status is ActivityStatus.Published or ActivityStatus.Completed)
            {
                counted++;
            }
        }

        return (counted, signUps);
    }

    /// <summary>Mostly communities, then grid cells, streets, districts and the city; never anything in the empty street.</summary>
    private static Node PickHost(Tree tree, Random random, Node emptyStreet)
    {
        while (true)
        {
            var roll = random.NextDouble();
            var host = roll < 0.65 ? tree.Communities[random.Next(tree.Communities.Count)]
                : roll < 0.85 ? tree.GridCells[random.Next(tree.GridCells.Count)]
                : roll < 0.96 ? tree.Streets[random.Next(tree.Streets.Count)]
                : roll < 0.995 ? tree.Districts[random.Next(tree.Districts.Count)]
                : tree.All[0];
            if (!host.Path.StartsWith(emptyStreet.Path, StringComparison.Ordinal))
            {
                return host;
            }
        }
    }

    /// <summary>
    /// An entry this host carries: each community (and its grid cells) never carries two entries chosen by its index,
    /// district 3 never goes into party schools and district 7 never into villages.
    /// </summary>
    private static EightEntry PickEntry(Node host, EightEntry[] entries, Random random)
    {
        while (true)
        {
            var entry = entries[random.Next(entries.Length)];
            var community = host.CommunityIndex;
            var missedByCommunity = community >= 0 && ((int)entry == community % 8 || (int)entry == (community * 3 + 1) % 8);
            var missedByDistrict = (host.DistrictIndex == 2 && entry == EightEntry.PartySchools) || (host.DistrictIndex == 6 && entry == EightEntry.Villages);
            if (!missedByCommunity && !missedByDistrict)
            {
                return entry;
            }
        }
    }

    private static string EntryText(EightEntry entry) => entry switch
    {
        EightEntry.Agencies => "进机关",
        EightEntry.PartySchools => "进党校",
        EightEntry.Enterprises => "进企业",
        EightEntry.Campuses => "进校园",
        EightEntry.Villages => "进农村",
        EightEntry.Communities => "进社区",
        EightEntry.Families => "进家庭",
        _ => "进网格",
    };

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    private static void Run(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        command.ExecuteNonQuery();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
