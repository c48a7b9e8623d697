using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DezhiHub.Bench.Coverage;
using DezhiHub.Domain.Accounts;
using DezhiHub.Domain.Activities;
using DezhiHub.Domain.Organization;
using DezhiHub.Domain.Volunteering;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Volunteering;
using DezhiHub.Web.Platform.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace DezhiHub.Bench.Ledger;

/// <summary>
/// Fills a database with the app's real schema (its own migrations) with two years of volunteering in a city: the
/// coverage bench's tree (10 districts × 10 streets × 10 communities, 5–6 grid cells each), 100,000 volunteers with a
/// completed profile, about 51,000 completed activities from December 2024 to November 2026, about 2.5 million credited
/// attendances (an hours entry and a points entry each), organizers' awards, market redemptions (some refunded),
/// reversals and hours corrections — over 5 million ledger entries. The caches are exactly what the app's
/// <see cref="Web.Features.Volunteering.Ledger"/> would have written: every points entry's <c>BalanceAfter</c>, the
/// profiles' totals and star levels, and the year and month totals (periods in Shanghai time). Deterministic (seeded).
/// How active a volunteer is follows a log-normal weight, so a few people carry most of the hours, as in life.
/// Raw ADO with prepared, reused commands in one transaction (inserts only: the ledger's triggers refuse UPDATE and
/// DELETE, never INSERT), then ANALYZE.
/// </summary>
internal static class LedgerDataGenerator
{
    /// <summary>Bump when the generated data changes, so a cached folder of an older shape is rebuilt.</summary>
    public const string Version = "ledger-v1";

    public const int Districts = 10;
    public const int StreetsPerDistrict = 10;
    public const int CommunitiesPerStreet = 10;
    public const int Volunteers = 100_000;
    public const int ActivitiesPerDay = 70;
    public const string AdminPhone = "13800000001";

    /// <summary>Volunteer n (1-based) has the phone 13900000000 + n and the user id n + 1.</summary>
    public const long VolunteerPhoneBase = 13900000000L;

    private const string MarkerFile = "generated.json";
    private const string Password = "bench-taihang-2026";
    private const int PointsPerHour = 10;

    private static readonly TimeSpan ShanghaiOffset = TimeSpan.FromHours(8);

    /// <summary>First local day of the generated history.</summary>
    public static readonly DateTime FirstLocalDay = new(2024, 12, 1);

    /// <summary>"Now" of the generated city (09:00 on 2026-11-27 in Shanghai): the history ends the day before.</summary>
    public static readonly DateTime NowUtc = new(2026, 11, 27, 1, 0, 0, DateTimeKind.Utc);

    private static readonly string[] DistrictNames = ["城区", "高新区", "阳城县", "陵川县", "沁水县", "高平市", "泽州县", "开发区", "东城区", "西城区"];
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "郭", "马", "胡", "朱"];
    private static readonly string[] GivenNames = ["秀兰", "国强", "丽娟", "志刚", "海燕", "建华", "春梅", "晓东", "玉珍", "红军", "桂英", "文博", "子涵", "浩然", "雨桐", "一诺"];
    private static readonly string[] CellNames = ["第一网格", "第二网格", "第三网格", "第四网格", "第五网格", "第六网格"];
    private static readonly string[] Skills = ["急救", "摄影", "书法", "宣讲", "文艺", "助老", "环保", "法律咨询"];
    private static readonly string[] AwardReasons = ["协助邻里调解纠纷", "拾金不昧", "雨夜护送老人回家", "义务清理楼道杂物", "照顾孤寡老人"];
    private static readonly string[] ActivityKinds = ["红色故事宣讲", "文明交通劝导", "敬老院慰问", "垃圾分类宣传", "社区义诊", "家风家教讲座"];

    public sealed record Summary(
        string Version, int OrgNodes, int Communities, int Volunteers, int Activities, long Attendances, long HoursEntries, long PointsEntries,
        long PeriodTotals, double Seconds)
    {
        public long Entries => HoursEntries + PointsEntries;
    }

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
        var summary = new Filler(AppServices.DatabaseFile(dataPath), passwordHash).Fill(cancellationToken) with { Seconds = Math.Round(stopwatch.Elapsed.TotalSeconds, 1) };
        await File.WriteAllTextAsync(marker, JsonSerializer.Serialize(summary), cancellationToken);
        return (summary, true);
    }

    /// <summary>User id of volunteer <paramref name="n"/> (1-based); user 1 is the Admin.</summary>
    public static int UserIdOf(int n) => n + 1;

    private sealed record Node(int Id, string Name, OrgLevel Level, string Path);

    /// <summary>One ledger post of a day, before it is given its id: hours (Minutes != 0) or points (Delta != 0).</summary>
    private readonly record struct Post(DateTime AtUtc, int User, bool IsHours, int Amount, string Kind, string Source, int? ActivityId, string? Reason, int? Actor);

    private sealed class Filler(string databaseFile, string passwordHash)
    {
        private readonly Random _random = new(20261127);
        private readonly List<Node> _all = [];
        private readonly List<Node> _hosts = [];
        private readonly List<Node> _cells = [];

        // Per volunteer (index = user id): the running caches, exactly as the Ledger keeps them.
        private readonly int[] _balance = new int[Volunteers + 2];
        private readonly int[] _earned = new int[Volunteers + 2];
        private readonly long[] _minutes = new long[Volunteers + 2];

        // Per period (index from PeriodIndex) and volunteer: the VolunteerPeriodTotals rows.
        private readonly string[] _periods = Periods();
        private long[][] _periodMinutes = [];
        private int[][] _periodPoints = [];
        private bool[][] _periodTouched = [];

        // Entries that may later be reversed or corrected: (entry id, user, amount).
        private readonly List<(long Id, int User, int Amount, int? ActivityId)> _earnings = [];
        private readonly List<(long Id, int User, int Minutes, int? ActivityId)> _hoursRecords = [];

        private double[] _cumulativeWeight = [];
        private long _pointsId;
        private long _hoursId;
        private long _attendances;
        private int _activities;
        private int _awards;
        private int _redemptionCount;

        private SqliteCommand _insertPoints = default!;
        private SqliteCommand _insertHours = default!;
        private SqliteCommand _insertActivity = default!;

        public Summary Fill(CancellationToken cancellationToken)
        {
            _periodMinutes = [.. _periods.Select(_ => new long[Volunteers + 2])];
            _periodPoints = [.. _periods.Select(_ => new int[Volunteers + 2])];
            _periodTouched = [.. _periods.Select(_ => new bool[Volunteers + 2])];

            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databaseFile, Pooling = false }.ToString());
            connection.Open();
            // Bulk-load settings for this one connection; the app's own settings (WAL, foreign keys) apply again afterwards.
            Execute(connection, null, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -1000000; PRAGMA foreign_keys = OFF; PRAGMA temp_store = MEMORY;");

            long periodRows;
            using (var transaction = connection.BeginTransaction())
            {
                InsertOrgTree(connection, transaction);
                InsertVolunteers(connection, transaction);
                using (_insertPoints = Prepare(connection, transaction,
                    "INSERT INTO PointsEntries (Id, UserId, Delta, Kind, SourceKey, BalanceAfter, ActivityId, Reason, ActorUserId, CreatedAtUtc) " +
                    "VALUES ($id, $user, $delta, $kind, $source, $balance, $activity, $reason, $actor, $at)",
                    "$id", "$user", "$delta", "$kind", "$source", "$balance", "$activity", "$reason", "$actor", "$at"))
                using (_insertHours = Prepare(connection, transaction,
                    "INSERT INTO HoursEntries (Id, UserId, Minutes, Kind, SourceKey, ActivityId, Reason, ActorUserId, CreatedAtUtc) " +
                    "VALUES ($id, $user, $minutes, $kind, $source, $activity, $reason, $actor, $at)",
                    "$id", "$user", "$minutes", "$kind", "$source", "$activity", "$reason", "$actor", "$at"))
                using (_insertActivity = Prepare(connection, transaction,
                    "INSERT INTO Activities (Id, Title, Description, Entry, OrgNodeId, OrgPath, Place, StartUtc, EndUtc, Capacity, SignUpRequired, " +
                    "WalkInsAllowed, PointsPerHour, Status, ConfirmedCount, CreatedByUserId, CreatedAtUtc, UpdatedAtUtc, PublishedAtUtc, " +
                    "SignUpClosedAtUtc, CompletedAtUtc) VALUES ($id, $title, '志愿服务活动。', $entry, $org, $path, $place, $start, $end, NULL, 1, " +
                    "1, $pointsPerHour, 'Completed', $confirmed, 1, $created, $created, $created, $start, $end)",
                    "$id", "$title", "$entry", "$org", "$path", "$place", "$start", "$end", "$pointsPerHour", "$confirmed", "$created"))
                {
                    for (var day = FirstLocalDay; day < NowUtc.Add(ShanghaiOffset).Date; day = day.AddDays(1))
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        GenerateDay(day);
                    }
                }

                InsertProfiles(connection, transaction);
                periodRows = InsertPeriodTotals(connection, transaction);
                transaction.Commit();
            }

            Execute(connection, null, "ANALYZE;");
            Execute(connection, null, "PRAGMA journal_mode = WAL;");
            var broken = Scalar(connection, "SELECT count(*) FROM pragma_foreign_key_check;");
            if (broken != 0)
            {
                throw new BenchException($"generated data breaks {broken} foreign keys");
            }

            return new Summary(Version, _all.Count, _all.Count(n => n.Level == OrgLevel.Community), Volunteers, _activities, _attendances,
                _hoursId, _pointsId, periodRows, 0);
        }

        private void InsertOrgTree(SqliteConnection connection, SqliteTransaction transaction)
        {
            using var insert = Prepare(connection, transaction,
                "INSERT INTO OrgNodes (Id, ParentId, Name, Level, Path, IsRetired) VALUES ($id, $parent, $name, $level, $path, 0)",
                "$id", "$parent", "$name", "$level", "$path");
            Node Add(Node? parent, string name, OrgLevel level)
            {
                var id = _all.Count + 1;
                var node = new Node(id, name, level, $"{parent?.Path ?? "/"}{id}/");
                Run(insert, id, (object?)parent?.Id ?? DBNull.Value, name, level.ToString(), node.Path);
                _all.Add(node);
                return node;
            }

            var city = Add(null, "太行市", OrgLevel.City);
            for (var d = 0; d < Districts; d++)
            {
                var district = Add(city, DistrictNames[d], OrgLevel.District);
                for (var s = 0; s < StreetsPerDistrict; s++)
                {
                    var street = Add(district, $"{DistrictNames[d]}第{s + 1}街道", OrgLevel.Street);
                    _hosts.Add(street);
                    for (var c = 0; c < CommunitiesPerStreet; c++)
                    {
                        var community = Add(street, $"{DistrictNames[d]}{s + 1}街{c + 1}社区", OrgLevel.Community);
                        _hosts.Add(community);
                        _hosts.Add(community);
                        for (var g = 0; g < 5 + (_all.Count % 2); g++)
                        {
                            _cells.Add(Add(community, CellNames[g], OrgLevel.GridCell));
                        }
                    }
                }
            }
        }

        private void InsertVolunteers(SqliteConnection connection, SqliteTransaction transaction)
        {
            using var insert = Prepare(connection, transaction,
                "INSERT INTO AspNetUsers (Id, RealName, OrgNodeId, CreatedAtUtc, UserName, NormalizedUserName, EmailConfirmed, PasswordHash, " +
                "SecurityStamp, ConcurrencyStamp, PhoneNumber, PhoneNumberConfirmed, TwoFactorEnabled, LockoutEnabled, AccessFailedCount) " +
                "VALUES ($id, $name, $org, $created, $phone, $phone, 0, $hash, $stamp, $concurrency, $phone, 0, 0, 1, 0)",
                "$id", "$name", "$org", "$created", "$phone", "$hash", "$stamp", "$concurrency");
            using var role = Prepare(connection, transaction,
                "INSERT INTO AspNetUserRoles (UserId, RoleId) SELECT $user, Id FROM AspNetRoles WHERE Name = $role", "$user", "$role");
            var created = FirstLocalDay.AddMonths(-1) - ShanghaiOffset;
            Run(insert, 1, "王建国", _all[0].Id, created, AdminPhone, passwordHash, Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString());
            Run(role, 1, Roles.Admin);

            // Activity weights: log-normal, and one volunteer in ten never turns up (a completed profile, no hours).
            _cumulativeWeight = new double[Volunteers];
            var total = 0.0;
            for (var n = 1; n <= Volunteers; n++)
            {
                var name = Surnames[_random.Next(Surnames.Length)] + GivenNames[_random.Next(GivenNames.Length)];
                var phone = (VolunteerPhoneBase + n).ToString(CultureInfo.InvariantCulture);
                Run(insert, UserIdOf(n), name, _cells[_random.Next(_cells.Count)].Id, created.AddMinutes(n), phone, passwordHash,
                    Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString());
                Run(role, UserIdOf(n), Roles.Volunteer);
                total += _random.NextDouble() < 0.1 ? 0 : Math.Exp(0.9 * Gaussian());
                _cumulativeWeight[n - 1] = total;
            }
        }

        private void InsertProfiles(SqliteConnection connection, SqliteTransaction transaction)
        {
            using var insert = Prepare(connection, transaction,
                "INSERT INTO VolunteerProfiles (UserId, Skills, IdLast4, CreatedAtUtc, CompletedAtUtc, TotalMinutes, PointsBalance, PointsEarned, StarLevel) " +
                "VALUES ($user, $skills, NULL, $created, $created, $minutes, $balance, $earned, $star)",
                "$user", "$skills", "$created", "$minutes", "$balance", "$earned", "$star");
            var created = FirstLocalDay - ShanghaiOffset;
            for (var n = 1; n <= Volunteers; n++)
            {
                var user = UserIdOf(n);
                Run(insert, user, $"{Skills[n % Skills.Length]},{Skills[(n * 3 + 1) % Skills.Length]}", created, _minutes[user], _balance[user], _earned[user],
                    StarLevel.ForMinutes(_minutes[user]));
            }
        }

        private long InsertPeriodTotals(SqliteConnection connection, SqliteTransaction transaction)
        {
            using var insert = Prepare(connection, transaction,
                "INSERT INTO VolunteerPeriodTotals (Period, UserId, Minutes, PointsEarned) VALUES ($period, $user, $minutes, $points)",
                "$period", "$user", "$minutes", "$points");
            long rows = 0;
            for (var p = 0; p < _periods.Length; p++)
            {
                for (var user = 2; user <= Volunteers + 1; user++)
                {
                    if (_periodTouched[p][user])
                    {
                        Run(insert, _periods[p], user, _periodMinutes[p][user], _periodPoints[p][user]);
                        rows++;
                    }
                }
            }

            return rows;
        }

        /// <summary>One local day: its activities and their credited attendances, awards, redemptions, refunds and corrections, in time order.</summary>
        private void GenerateDay(DateTime localDay)
        {
            var posts = new List<Post>(8_000);
            var attendees = new HashSet<int>();
            for (var a = 0; a < ActivitiesPerDay; a++)
            {
                var id = ++_activities;
                var host = _hosts[_random.Next(_hosts.Count)];
                var startUtc = localDay.AddHours(8).AddMinutes(30 * _random.Next(22)) - ShanghaiOffset;
                var minutes = 60 + (30 * _random.Next(5));
                var endUtc = startUtc.AddMinutes(minutes);
                var count = 20 + _random.Next(61);
                Run(_insertActivity, id, $"{ActivityKinds[id % ActivityKinds.Length]} 第{id}场", ((EightEntry)(id % 8)).ToString(), host.Id, host.Path,
                    $"{host.Name}党群服务中心", startUtc, endUtc, PointsPerHour, count, startUtc.AddDays(-7));

                attendees.Clear();
                while (attendees.Count < count)
                {
                    attendees.Add(PickVolunteer());
                }

                foreach (var user in attendees)
                {
                    // Credited when the organizer confirms the attendance: an hour or so after the end. Latecomers get a bit less.
                    var credited = minutes - (_random.NextDouble() < 0.15 ? 15 * (1 + _random.Next(2)) : 0);
                    var at = endUtc.AddMinutes(30 + _random.Next(120));
                    var source = $"attendance:{++_attendances}";
                    posts.Add(new Post(at, user, true, credited, nameof(HoursKind.Attendance), source, id, null, null));
                    posts.Add(new Post(at, user, false, VolunteerAccount.PointsFor(credited, PointsPerHour), nameof(PointsKind.Earned), source, id, null, null));
                }
            }

            // About 200 awards and 350 redemptions a day, at office hours.
            for (var i = 0; i < 200; i++)
            {
                var at = localDay.AddHours(9 + _random.Next(9)).AddMinutes(_random.Next(60)) - ShanghaiOffset;
                posts.Add(new Post(at, PickVolunteer(), false, 5 * (1 + _random.Next(10)), nameof(PointsKind.Awarded), $"award:{++_awards}", null,
                    AwardReasons[_random.Next(AwardReasons.Length)], 1));
            }

            for (var i = 0; i < 350; i++)
            {
                var at = localDay.AddHours(9 + _random.Next(11)).AddMinutes(_random.Next(60)) - ShanghaiOffset;
                posts.Add(new Post(at, PickVolunteer(), false, -(20 * (1 + _random.Next(15))), nameof(PointsKind.Redeemed), "", null, null, null));
            }

            // Corrections of earlier records: a few reversals of earnings and of hours, with a reason and the organizer.
            for (var i = 0; i < 20 && _earnings.Count > 0; i++)
            {
                var pick = _random.Next(_earnings.Count);
                var (entryId, user, amount, activity) = _earnings[pick];
                _earnings[pick] = _earnings[^1];
                _earnings.RemoveAt(_earnings.Count - 1);
                var at = localDay.AddHours(10 + _random.Next(8)) - ShanghaiOffset;
                posts.Add(new Post(at, user, false, -amount, nameof(PointsKind.Reversed), $"reversal:{entryId}", activity, "签到记录有误，撤销积分", 1));
            }

            for (var i = 0; i < 20 && _hoursRecords.Count > 0; i++)
            {
                var pick = _random.Next(_hoursRecords.Count);
                var (entryId, user, minutes, activity) = _hoursRecords[pick];
                _hoursRecords[pick] = _hoursRecords[^1];
                _hoursRecords.RemoveAt(_hoursRecords.Count - 1);
                var at = localDay.AddHours(10 + _random.Next(8)) - ShanghaiOffset;
                posts.Add(new Post(at, user, true, -Math.Min(minutes, 30), nameof(HoursKind.Correction), $"correction:{entryId}", activity, "提前离场，更正时长", 1));
            }

            foreach (var post in posts.OrderBy(p => p.AtUtc).ToList())
            {
                Write(post);
            }
        }

        private void Write(Post post)
        {
            var user = post.User;
            var at = post.AtUtc;
            var period = PeriodIndexes(at);
            if (post.IsHours)
            {
                var id = ++_hoursId;
                _minutes[user] += post.Amount;
                Touch(period, user, post.Amount, 0);
                Run(_insertHours, id, user, post.Amount, post.Kind, post.Source, post.ActivityId, post.Reason, post.Actor, at);
                if (post.Kind == nameof(HoursKind.Attendance) && _random.NextDouble() < 0.002)
                {
                    _hoursRecords.Add((id, user, post.Amount, post.ActivityId));
                }

                return;
            }

            var source = post.Source;
            var kind = post.Kind;
            if (kind == nameof(PointsKind.Redeemed))
            {
                if (_balance[user] + post.Amount < 0)
                {
                    return; // The market refuses: not enough points.
                }

                source = $"redemption:{++_redemptionCount}";
            }
            else if (post.Amount < 0 && _balance[user] + post.Amount < 0)
            {
                return; // A reversal the balance no longer covers is refused.
            }

            WritePoints(user, post.Amount, kind, source, post.ActivityId, post.Reason, post.Actor, at, period);
            if (kind == nameof(PointsKind.Redeemed) && _random.NextDouble() < 0.1)
            {
                // One redemption in ten is cancelled (or expires) and refunded; here a minute later, for simplicity.
                WritePoints(user, -post.Amount, nameof(PointsKind.Refunded), $"refund:{_redemptionCount}", null, null, null, at.AddMinutes(1), PeriodIndexes(at.AddMinutes(1)));
            }
        }

        private void WritePoints(int user, int delta, string kind, string source, int? activityId, string? reason, int? actor, DateTime at, (int Year, int Month) period)
        {
            var id = ++_pointsId;
            var earnedDelta = kind is nameof(PointsKind.Earned) or nameof(PointsKind.Awarded) or nameof(PointsKind.PledgeBonus) or nameof(PointsKind.Reversed) ? delta : 0;
            _balance[user] += delta;
            _earned[user] += earnedDelta;
            if (earnedDelta != 0)
            {
                Touch(period, user, 0, earnedDelta);
            }

            Run(_insertPoints, id, user, delta, kind, source, _balance[user], activityId, reason, actor, at);
            if (kind == nameof(PointsKind.Earned) && _random.NextDouble() < 0.002)
            {
                _earnings.Add((id, user, delta, activityId));
            }
        }

        private void Touch((int Year, int Month) period, int user, long minutes, int points)
        {
            foreach (var p in (ReadOnlySpan<int>)[period.Year, period.Month])
            {
                _periodMinutes[p][user] += minutes;
                _periodPoints[p][user] += points;
                _periodTouched[p][user] = true;
            }
        }

        private int PickVolunteer()
        {
            var target = _random.NextDouble() * _cumulativeWeight[^1];
            var index = Array.BinarySearch(_cumulativeWeight, target);
            index = index < 0 ? ~index : index;
            // A zero weight repeats its predecessor's cumulative value; step to the volunteer who owns this stretch.
            while (index > 0 && _cumulativeWeight[index - 1] >= target)
            {
                index--;
            }

            return UserIdOf(Math.Min(index, Volunteers - 1) + 1);
        }

        private double Gaussian() =>
            Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());

        /// <summary>The year and month rows (indexes into <see cref="_periods"/>) a post at <paramref name="utc"/> counts towards.</summary>
        private (int Year, int Month) PeriodIndexes(DateTime utc)
        {
            var local = utc + ShanghaiOffset;
            var year = Array.IndexOf(_periods, VolunteerPeriodTotal.Year(local));
            var month = Array.IndexOf(_periods, VolunteerPeriodTotal.Month(local));
            return (year, month);
        }

        private static string[] Periods()
        {
            var periods = new List<string>();
            for (var month = FirstLocalDay; month <= NowUtc.Add(ShanghaiOffset); month = month.AddMonths(1))
            {
                periods.Add(VolunteerPeriodTotal.Month(month));
                if (!periods.Contains(VolunteerPeriodTotal.Year(month)))
                {
                    periods.Add(VolunteerPeriodTotal.Year(month));
                }
            }

            return [.. periods];
        }
    }

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

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
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
