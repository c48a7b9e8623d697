using DezhiHub.Domain.Volunteering;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Leaderboards;
using DezhiHub.Web.Features.Volunteering;
using DezhiHub.Web.Platform.Access;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Tests.Features;

/// <summary>Boards on real SQLite, fed through the app's own ledger: ranks and ties, periods, subtrees, my rank, who may look.</summary>
public sealed class LeaderboardServiceTests : IAsyncLifetime
{
    // The clock moves to 2027-02-10 10:00 in Shanghai, so "this month" is 2027-02 and "this year" 2027; the test city's
    // boards hold only what each test credits.
    private static readonly DateTime Now = new(2027, 2, 10, 2, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime LastMonth = new(2027, 1, 15, 2, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime LastYear = new(2026, 6, 1, 2, 0, 0, DateTimeKind.Utc);

    private FeatureHost _host = default!;
    private TestCity _city = default!;
    private int _source;

    public async Task InitializeAsync()
    {
        _host = await FeatureHost.CreateAsync(demoData: false);
        _city = await TestCity.CreateAsync(_host);
        _host.Clock.SetUtcNow(Now);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private LeaderboardService Boards => _host.Scoped<LeaderboardService>();

    [Fact]
    public async Task PeopleAreRankedByHours_AndEqualHoursShareARank()
    {
        var (a, b, c, d) = await FourOfAsync("东湖社区");
        await CreditAsync(a, 300, 30, Now);
        await CreditAsync(b, 180, 18, Now);
        await CreditAsync(c, 180, 18, Now);
        await CreditAsync(d, 60, 6, Now);
        var admin = _city.Admin.Principal;

        var board = await Boards.GetAsync(admin, new LeaderboardQuery(_city.Community.Id, LeaderboardMetric.Hours, LeaderboardPeriod.Month));

        Assert.Equal("2027-02", board.PeriodKey);
        Assert.Equal([1, 2, 2, 4], board.Rows.Select(r => r.Rank));
        Assert.Equal([300L, 180, 180, 60], board.Rows.Select(r => r.Value));
        Assert.Equal(a, board.Rows[0].UserId);
        Assert.Equal([b, c], board.Rows.Skip(1).Take(2).Select(r => r.UserId).Order());
        Assert.All(board.Rows, r => Assert.Equal("东湖社区", r.Community));
        Assert.All(board.Rows, r => Assert.False(string.IsNullOrEmpty(r.RealName)));
    }

    [Fact]
    public async Task TheMonthYearAndAllTimeBoards_CountOnlyTheirPeriod()
    {
        var (thisMonth, lastMonth, lastYear, _) = await FourOfAsync("西湖社区");
        await CreditAsync(thisMonth, 120, 12, Now);
        await CreditAsync(lastMonth, 600, 60, LastMonth);
        await CreditAsync(lastYear, 900, 90, LastYear);
        var admin = _city.Admin.Principal;
        var node = await _host.OrgIdAsync("西湖社区");

        async Task<List<(int, long)>> BoardAsync(LeaderboardPeriod period) =>
            [.. (await Boards.GetAsync(admin, new LeaderboardQuery(node, LeaderboardMetric.Hours, period))).Rows.Select(r => (r.UserId, r.Value))];

        Assert.Equal([(thisMonth, 120L)], await BoardAsync(LeaderboardPeriod.Month));
        Assert.Equal([(lastMonth, 600L), (thisMonth, 120L)], await BoardAsync(LeaderboardPeriod.Year));
        Assert.Equal([(lastYear, 900L), (lastMonth, 600L), (thisMonth, 120L)], await BoardAsync(LeaderboardPeriod.AllTime));

        // An earlier month can be asked for by name.
        var january = await Boards.GetAsync(admin, new LeaderboardQuery(node, LeaderboardMetric.Hours, LeaderboardPeriod.Month, "2027-01"));
        Assert.Equal([lastMonth], january.Rows.Select(r => r.UserId));
    }

    [Fact]
    public async Task ThePointsBoard_RanksPointsEarned_NotTheBalance()
    {
        var (spender, saver, _, _) = await FourOfAsync("东湖社区");
        await CreditAsync(spender, 60, 100, Now);
        await PostAsync(db => Ledger.PostPointsAsync(db, spender, -80, PointsKind.Redeemed, $"test:redeem:{++_source}", Now));
        await CreditAsync(saver, 60, 50, Now);
        var admin = _city.Admin.Principal;

        var board = await Boards.GetAsync(admin, new LeaderboardQuery(_city.Community.Id, LeaderboardMetric.Points, LeaderboardPeriod.AllTime));

        Assert.Equal([(spender, 100L), (saver, 50L)], board.Rows.Select(r => (r.UserId, r.Value)));
    }

    [Fact]
    public async Task ACommunitysBoard_ShowsOnlyItsPeople_TheStreetsShowsBoth()
    {
        var (hongxing, _, _, _) = await FourOfAsync("东湖社区");
        var (heping, _, _, _) = await FourOfAsync("西湖社区");
        await CreditAsync(hongxing, 60, 6, Now);
        await CreditAsync(heping, 600, 60, Now);
        var admin = _city.Admin.Principal;

        var community = await Boards.GetAsync(admin, new LeaderboardQuery(_city.Community.Id, LeaderboardMetric.Hours, LeaderboardPeriod.Month));
        var street = await Boards.GetAsync(admin, new LeaderboardQuery(await _host.OrgIdAsync("测试街道"), LeaderboardMetric.Hours, LeaderboardPeriod.Month));

        Assert.Equal([hongxing], community.Rows.Select(r => r.UserId));
        Assert.Equal([(heping, "西湖社区"), (hongxing, "东湖社区")], street.Rows.Select(r => (r.UserId, r.Community)));
    }

    [Fact]
    public async Task MyRank_Is1PlusThoseStrictlyAhead_EvenOffTheBoard()
    {
        var volunteer = _city.Volunteer.Id;
        var (a, b, c, _) = await FourOfAsync("东湖社区", except: volunteer);
        await CreditAsync(a, 300, 30, Now);
        await CreditAsync(b, 240, 24, Now);
        await CreditAsync(c, 120, 12, Now);
        await CreditAsync(volunteer, 120, 12, Now);
        await CreditAsync(volunteer, 100 * 60, 600, LastYear); // a year ago: 1★, but nothing on this month's board
        var me = _city.Volunteer.Principal;
        var node = _city.Community.Id;

        // A board of two: the volunteer is not on it, and shares third place with c.
        var board = await Boards.GetAsync(me, new LeaderboardQuery(node, LeaderboardMetric.Hours, LeaderboardPeriod.Month, Top: 2));

        Assert.Equal([a, b], board.Rows.Select(r => r.UserId));
        Assert.Equal(new LeaderboardStanding(3, 120, 1), board.Me); // his star is for all his service

        var full = await Boards.GetAsync(me, new LeaderboardQuery(node, LeaderboardMetric.Hours, LeaderboardPeriod.Month));
        Assert.Equal(3, full.Me!.Rank);
        Assert.Equal(3, full.Rows.Single(r => r.UserId == volunteer).Rank);

        // On the city's board the same: nobody else has hours.
        var city = await Boards.GetAsync(me, new LeaderboardQuery(await _host.OrgIdAsync("测试市"), LeaderboardMetric.Hours, LeaderboardPeriod.Month));
        Assert.Equal(3, city.Me!.Rank);
    }

    [Fact]
    public async Task MyRank_IsEmpty_WithNothingToRank_AndAbsent_OutsideTheSubtree()
    {
        var (a, _, _, _) = await FourOfAsync("东湖社区");
        await CreditAsync(a, 60, 6, Now);
        var resident = _city.Resident.Principal;
        var admin = _city.Admin.Principal;
        var node = _city.Community.Id;

        var mine = await Boards.GetAsync(resident, new LeaderboardQuery(node, LeaderboardMetric.Hours, LeaderboardPeriod.Month));
        Assert.NotNull(mine.Me);
        Assert.Null(mine.Me.Rank);

        // The Admin belongs to the city, not to 红星社区: no standing on its board.
        Assert.Null((await Boards.GetAsync(admin, new LeaderboardQuery(node, LeaderboardMetric.Hours, LeaderboardPeriod.Month))).Me);
    }

    [Fact]
    public async Task AResident_SeesTheBoardsOfTheirOwnArea_ButNotAnotherDistrictOrCommunity()
    {
        var resident = _city.Resident.Principal;

        foreach (var own in new[] { "东湖社区", "测试街道", "测试区", "测试市" })
        {
            var board = await Boards.GetAsync(resident, new LeaderboardQuery(await _host.OrgIdAsync(own), LeaderboardMetric.Points, LeaderboardPeriod.Year));
            Assert.Equal(own, board.NodeName);
        }

        foreach (var other in new[] { "高新区", "西湖社区" })
        {
            var id = await _host.OrgIdAsync(other);
            await Assert.ThrowsAsync<AccessDeniedException>(() => Boards.GetAsync(resident, new LeaderboardQuery(id, LeaderboardMetric.Hours, LeaderboardPeriod.Month)));
        }

        Assert.Equal(["测试市", "测试区", "测试街道", "东湖社区"], (await Boards.MyAreaAsync(resident)).Select(n => n.Name));
        Assert.Equal(_city.Community.Id, await Boards.DefaultNodeIdAsync(resident));
    }

    [Fact]
    public async Task AnOrganizer_OpensBoardsWithinTheirScope_AndTheirOwnArea_Only()
    {
        var organizer = _city.Organizer.Principal;
        var cell = _city.Grid2.Id;

        Assert.Equal("第二网格", (await Boards.GetAsync(organizer, new LeaderboardQuery(cell, LeaderboardMetric.Hours, LeaderboardPeriod.Month))).NodeName);
        Assert.Equal("测试区", (await Boards.GetAsync(organizer, new LeaderboardQuery(await _host.OrgIdAsync("测试区"), LeaderboardMetric.Hours, LeaderboardPeriod.Month))).NodeName);
        foreach (var other in new[] { "西湖社区", "高新区" })
        {
            var id = await _host.OrgIdAsync(other);
            await Assert.ThrowsAsync<AccessDeniedException>(() => Boards.GetAsync(organizer, new LeaderboardQuery(id, LeaderboardMetric.Hours, LeaderboardPeriod.Month)));
        }

        // Exports stop at the organizer's own node: its ancestors are someone else's to report on.
        var street = await _host.OrgIdAsync("测试街道");
        await Assert.ThrowsAsync<AccessDeniedException>(() => Boards.VolunteerTotalsAsync(organizer, street, LeaderboardPeriod.Month, null));
        var resident = _city.Resident.Principal;
        await Assert.ThrowsAsync<AccessDeniedException>(() => Boards.UnitTotalsAsync(resident, null, LeaderboardPeriod.Month, null));
    }

    [Fact]
    public async Task TheUnitReport_SumsEachChildsSubtree_ForThePeriod()
    {
        var (h1, h2, _, _) = await FourOfAsync("东湖社区");
        var (p1, _, _, _) = await FourOfAsync("西湖社区");
        var admin = _city.Admin.Principal;
        var street = await _host.OrgIdAsync("测试街道");
        var before = (await Boards.UnitTotalsAsync(admin, street, LeaderboardPeriod.Year, null)).Rows.ToDictionary(r => r.Name);
        await CreditAsync(h1, 90, 15, Now);
        await CreditAsync(h2, 30, 5, Now);
        await CreditAsync(p1, 60, 10, Now);
        await CreditAsync(p1, 600, 100, LastYear);

        var report = await Boards.UnitTotalsAsync(admin, street, LeaderboardPeriod.Year, null);

        Assert.Equal("2027", report.PeriodKey);
        Assert.Equal(["东湖社区", "西湖社区"], report.Rows.Select(r => r.Name));
        var rows = report.Rows.ToDictionary(r => r.Name);
        (long, int) Added(string name) => (rows[name].Minutes - before[name].Minutes, rows[name].PointsEarned - before[name].PointsEarned);
        Assert.Equal((120L, 20), Added("东湖社区"));
        Assert.Equal((60L, 10), Added("西湖社区"));

        // All time, most minutes first: h1 before h2.
        var people = await Boards.VolunteerTotalsAsync(admin, _city.Community.Id, LeaderboardPeriod.AllTime, null);
        var ids = people.Rows.Select(r => r.UserId).ToList();
        var first = people.Rows.Single(r => r.UserId == h1);
        Assert.Equal((h1, 90L, 15, 15), (first.UserId, first.Minutes, first.PointsEarned, first.PointsBalance));
        Assert.True(ids.IndexOf(h1) < ids.IndexOf(h2), "more minutes come first");
        Assert.Equal(people.Rows.Select(r => r.Minutes).OrderDescending(), people.Rows.Select(r => r.Minutes));
        Assert.Matches(@"^1\d{2}\*{4}\d{4}$", first.PhoneMasked);
        Assert.DoesNotContain(people.Rows, r => r.UserId == p1);
    }

    private Ledger Ledger => _host.Get<Ledger>();

    /// <summary>Hours and points for one attendance, through the ledger as check-in credits them.</summary>
    private async Task CreditAsync(int userId, int minutes, int points, DateTime atUtc)
    {
        var source = $"test:attendance:{++_source}";
        await PostAsync(async db =>
        {
            await Ledger.PostHoursAsync(db, userId, minutes, HoursKind.Attendance, source, atUtc);
            await Ledger.PostPointsAsync(db, userId, points, PointsKind.Earned, source, atUtc);
        });
    }

    private async Task PostAsync(Func<AppDbContext, Task> post)
    {
        await using var db = _host.NewDb();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await post(db);
        await transaction.CommitAsync();
    }

    /// <summary>Four new people of the node's first grid cell (or the node itself when it has none), in id order.</summary>
    private async Task<(int, int, int, int)> FourOfAsync(string nodeName, int? except = null)
    {
        DezhiHub.Domain.Organization.OrgNode home;
        await using (var db = _host.NewDb())
        {
            var node = await db.OrgNodes.AsNoTracking().SingleAsync(n => n.Name == nodeName);
            home = await db.OrgNodes.AsNoTracking().Where(n => n.Path.StartsWith(node.Path) && n.Level == DezhiHub.Domain.Organization.OrgLevel.GridCell)
                .OrderBy(n => n.Id).FirstOrDefaultAsync() ?? node;
        }

        var ids = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((await _city.PersonAsync(home, $"{nodeName}志愿者{i}", DezhiHub.Domain.Accounts.Roles.Volunteer)).Id);
        }

        Assert.DoesNotContain(except ?? 0, ids);
        return (ids[0], ids[1], ids[2], ids[3]);
    }
}
