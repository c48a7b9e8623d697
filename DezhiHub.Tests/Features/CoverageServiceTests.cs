using DezhiHub.Domain.Activities;
using DezhiHub.Domain;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Coverage;
using DezhiHub.Web.Platform.Access;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Tests.Features;

/// <summary>
/// The coverage matrix on the test city (测试市 has 测试区, with 测试街道 and its two communities, and an empty 高新区).
/// Activities are put straight into the database in March 2028.
/// </summary>
public sealed class CoverageServiceTests : IAsyncLifetime
{
    private static readonly DateOnly From = new(2028, 3, 1);
    private static readonly DateOnly To = new(2028, 4, 1);

    private FeatureHost _host = default!;
    private TestCity _city = default!;

    public async Task InitializeAsync()
    {
        _host = await FeatureHost.CreateAsync(demoData: false);
        _city = await TestCity.CreateAsync(_host);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private CoverageService Service => _host.Scoped<CoverageService>();

    [Fact]
    public async Task Matrix_CountsActivitiesParticipantsAndHours_PerChildAndEntry()
    {
        await AddAsync("东湖社区", EightEntry.Campuses, new DateTime(2028, 3, 5, 9, 0, 0), hours: 2, confirmed: 10);
        await AddAsync("东湖社区/第一网格", EightEntry.Campuses, new DateTime(2028, 3, 6, 14, 0, 0), hours: 1.5, confirmed: 20);
        await AddAsync("西湖社区", EightEntry.Families, new DateTime(2028, 3, 7, 9, 0, 0), hours: 1, confirmed: 4);
        await AddAsync("高新区", EightEntry.Campuses, new DateTime(2028, 3, 8, 9, 0, 0), hours: 3, confirmed: 0);

        var matrix = await Service.GetMatrixAsync(_city.Admin.Principal, await QueryAsync("测试市"));

        Assert.Equal(["测试区", "高新区"], matrix.Rows.Select(r => r.Name));
        var district = Row(matrix, "测试区");
        Assert.Equal(new CoverageCell(2, 30, 10 * 2 + (20 * 1.5)), district[EightEntry.Campuses]);
        Assert.Equal(new CoverageCell(1, 4, 4), district[EightEntry.Families]);
        Assert.Equal(new CoverageCell(3, 34, 54), district.Total);
        Assert.Equal(6, district.GapCount);
        Assert.Equal(new CoverageCell(1, 0, 0), Row(matrix, "高新区")[EightEntry.Campuses]); // held, nobody signed up
        Assert.Equal(7, Row(matrix, "高新区").GapCount);
        Assert.Equal(3, matrix.ColumnTotals[(int)EightEntry.Campuses].Activities);
        Assert.Equal(new CoverageCell(4, 34, 54), matrix.GrandTotal);
        Assert.Equal((16, 13), (matrix.CellsExpected, matrix.Gaps));
    }

    [Fact]
    public async Task Matrix_LeavesOutDraftsCancelledAndActivitiesOutsideThePeriod()
    {
        // The period is local dates in Asia/Shanghai: 1 March 00:00 there is 29 February 16:00 UTC.
        await AddAsync("东湖社区", EightEntry.Agencies, new DateTime(2028, 3, 1, 0, 0, 0), hours: 1, confirmed: 1);
        await AddAsync("东湖社区", EightEntry.Agencies, new DateTime(2028, 3, 31, 23, 30, 0), hours: 1, confirmed: 1, completed: true);
        await AddAsync("东湖社区", EightEntry.Agencies, new DateTime(2028, 2, 29, 23, 59, 0), hours: 1, confirmed: 1);
        await AddAsync("东湖社区", EightEntry.Agencies, new DateTime(2028, 4, 1, 0, 0, 0), hours: 1, confirmed: 1);
        await AddAsync("东湖社区", EightEntry.Agencies, new DateTime(2028, 3, 10, 9, 0, 0), hours: 1, confirmed: 0, publish: false);
        await AddAsync("东湖社区", EightEntry.Agencies, new DateTime(2028, 3, 11, 9, 0, 0), hours: 1, confirmed: 3, cancel: true);

        var matrix = await Service.GetMatrixAsync(_city.Admin.Principal, await QueryAsync("测试街道"));

        Assert.Equal(new CoverageCell(2, 2, 2), Row(matrix, "东湖社区")[EightEntry.Agencies]);
        Assert.Equal(2, matrix.GrandTotal.Activities);
    }

    [Fact]
    public async Task Matrix_PutsActivitiesHostedAtTheNodeItself_InTheHostLevelRow()
    {
        await AddAsync("测试街道", EightEntry.PartySchools, new DateTime(2028, 3, 2, 9, 0, 0), hours: 2, confirmed: 50);
        await AddAsync("东湖社区", EightEntry.PartySchools, new DateTime(2028, 3, 3, 9, 0, 0), hours: 2, confirmed: 5);

        var matrix = await Service.GetMatrixAsync(_city.Admin.Principal, await QueryAsync("测试街道"));

        var host = matrix.Rows[0];
        Assert.True(host.IsHostLevel);
        Assert.Equal(("测试街道", new CoverageCell(1, 50, 100)), (host.Name, host[EightEntry.PartySchools]));
        Assert.Equal(0, host.GapCount);
        Assert.Equal(new CoverageCell(1, 5, 10), Row(matrix, "东湖社区")[EightEntry.PartySchools]);
        Assert.Equal(new CoverageCell(2, 55, 110), matrix.ColumnTotals[(int)EightEntry.PartySchools]);
        Assert.Equal(16, matrix.CellsExpected); // two communities; the host-level row owes nothing
    }

    [Fact]
    public async Task Matrix_WithoutActivitiesAtTheNode_HasNoHostLevelRow_AndAGridCellShowsOnlyItsOwn()
    {
        await AddAsync("东湖社区/第一网格", EightEntry.GridCells, new DateTime(2028, 3, 2, 9, 0, 0), hours: 1, confirmed: 2);
        var admin = _city.Admin.Principal;

        var community = await Service.GetMatrixAsync(admin, await QueryAsync("东湖社区"));
        Assert.DoesNotContain(community.Rows, r => r.IsHostLevel);
        Assert.Equal(["第一网格", "第二网格"], community.Rows.Select(r => r.Name));

        var cell = await Service.GetMatrixAsync(admin, new CoverageQuery(_city.Grid1.Id, From, To));
        Assert.True(Assert.Single(cell.Rows).IsHostLevel);
        Assert.Equal(1, cell.GrandTotal.Activities);
    }

    [Fact]
    public async Task AnOrganizer_SeesTheirOwnCommunity_ButNotAnotherOrTheCity()
    {
        await AddAsync("东湖社区", EightEntry.Families, new DateTime(2028, 3, 2, 9, 0, 0), hours: 1, confirmed: 2);
        var organizer = _city.Organizer.Principal;

        Assert.Equal(_city.Community.Id, await Service.DefaultNodeIdAsync(organizer));
        var own = await Service.GetMatrixAsync(organizer, await QueryAsync("东湖社区"));
        Assert.Equal(1, own.GrandTotal.Activities);

        var other = await QueryAsync("西湖社区");
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.GetMatrixAsync(organizer, other));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.GetActivitiesAsync(organizer, new CoverageCellQuery(other.NodeId, From, To, null, null)));
        await Assert.ThrowsAsync<AccessDeniedException>(async () => await Service.GetMatrixAsync(organizer, await QueryAsync("测试市")));
        // An id that does not exist tells an Organizer nothing more than "not yours".
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.GetMatrixAsync(organizer, new CoverageQuery(999_999, From, To)));
    }

    [Fact]
    public async Task AResidentOrVolunteer_IsRefused()
    {
        var city = await QueryAsync("测试市");
        foreach (var person in new[] { _city.Resident, _city.Volunteer, _city.Partner })
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => Service.GetMatrixAsync(person.Principal, city));
            Assert.Null(await Service.DefaultNodeIdAsync(person.Principal));
        }
    }

    [Fact]
    public async Task AnAdmin_OpensOnTheCity_ForTheCurrentYear()
    {
        var query = await Service.ResolveAsync(_city.Admin.Principal, null, null, null);

        // The fake clock stands at 2026-11-27 09:00 in Shanghai.
        Assert.Equal(new CoverageQuery(_city.City.Id, new DateOnly(2026, 1, 1), new DateOnly(2027, 1, 1)), query);
    }

    [Fact]
    public async Task DrillDown_ListsTheCellsActivities_InStartOrder_APageAtATime()
    {
        var second = await AddAsync("东湖社区/第一网格", EightEntry.Campuses, new DateTime(2028, 3, 6, 14, 0, 0), hours: 1.5, confirmed: 20);
        var first = await AddAsync("东湖社区", EightEntry.Campuses, new DateTime(2028, 3, 5, 9, 0, 0), hours: 2, confirmed: 10);
        await AddAsync("东湖社区", EightEntry.Families, new DateTime(2028, 3, 5, 9, 0, 0), hours: 2, confirmed: 10);
        await AddAsync("高新区", EightEntry.Campuses, new DateTime(2028, 3, 5, 9, 0, 0), hours: 2, confirmed: 10);
        var admin = _city.Admin.Principal;
        var city = _city.City.Id;
        var district = _city.District.Id;

        var cell = await Service.GetActivitiesAsync(admin, new CoverageCellQuery(city, From, To, district, EightEntry.Campuses));

        Assert.Equal(2, cell.Total);
        Assert.Equal([first, second], cell.Items.Select(a => a.Id));
        Assert.Equal(("测试区 / 测试街道 / 东湖社区", 10, 20.0), (cell.Items[0].HostName, cell.Items[0].Participants, cell.Items[0].Hours));
        Assert.Equal("测试区 / 测试街道 / 东湖社区 / 第一网格", cell.Items[1].HostName);

        var page = await Service.GetActivitiesAsync(admin, new CoverageCellQuery(city, From, To, district, EightEntry.Campuses, Page: 1, PageSize: 1));
        Assert.Equal((2, second), (page.Total, Assert.Single(page.Items).Id));

        var row = await Service.GetActivitiesAsync(admin, new CoverageCellQuery(city, From, To, district, null));
        Assert.Equal(3, row.Total);
        var column = await Service.GetActivitiesAsync(admin, new CoverageCellQuery(city, From, To, null, EightEntry.Campuses));
        Assert.Equal(3, column.Total);
    }

    [Fact]
    public async Task DrillDown_IntoTheHostLevelRow_ListsOnlyTheNodesOwnActivities()
    {
        var own = await AddAsync("测试区", EightEntry.Enterprises, new DateTime(2028, 3, 2, 9, 0, 0), hours: 1, confirmed: 1);
        await AddAsync("东湖社区", EightEntry.Enterprises, new DateTime(2028, 3, 2, 9, 0, 0), hours: 1, confirmed: 1);
        var district = _city.District.Id;

        var cell = await Service.GetActivitiesAsync(_city.Admin.Principal, new CoverageCellQuery(district, From, To, district, EightEntry.Enterprises));

        Assert.Equal(own, Assert.Single(cell.Items).Id);
        Assert.Equal("测试区", cell.Items[0].HostName);
    }

    [Fact]
    public async Task DrillDown_RefusesARowThatIsNotAChildOfTheNode()
    {
        var query = new CoverageCellQuery(_city.District.Id, From, To, _city.Community.Id, null);

        var error = await Assert.ThrowsAsync<DomainException>(() => Service.GetActivitiesAsync(_city.Admin.Principal, query));
        Assert.Equal("Org.NotFound", error.Code);
    }

    [Fact]
    public async Task APeriod_ThatIsEmptyOrTooLong_IsRefused()
    {
        foreach (var (from, to) in new[] { (To, From), (From, From), (From, From.AddYears(6)) })
        {
            var error = await Assert.ThrowsAsync<DomainException>(() => Service.GetMatrixAsync(_city.Admin.Principal, new CoverageQuery(_city.City.Id, from, to)));
            Assert.Equal("Coverage.PeriodInvalid", error.Code);
        }
    }

    private async Task<CoverageQuery> QueryAsync(string nodeName) => new(await _host.OrgIdAsync(nodeName), From, To);

    private static CoverageRow Row(CoverageMatrix matrix, string name) => matrix.Rows.Single(r => r.Name == name && !r.IsHostLevel);

    private async Task<int> CellIdAsync(string community, string cell)
    {
        await using var db = _host.NewDb();
        var communityId = await _host.OrgIdAsync(community);
        return await db.OrgNodes.Where(n => n.ParentId == communityId && n.Name == cell).Select(n => n.Id).SingleAsync();
    }

    /// <summary>
    /// An activity hosted at <paramref name="host"/> ("社区" or "社区/网格") starting at a Shanghai local time, published unless
    /// told otherwise, with <paramref name="confirmed"/> confirmed sign-ups.
    /// </summary>
    private async Task<int> AddAsync(string host, EightEntry entry, DateTime localStart, double hours, int confirmed,
        bool publish = true, bool cancel = false, bool completed = false)
    {
        var parts = host.Split('/');
        var hostId = parts.Length == 2 ? await CellIdAsync(parts[0], parts[1]) : await _host.OrgIdAsync(host);
        await using var db = _host.NewDb();
        var path = await db.OrgNodes.Where(n => n.Id == hostId).Select(n => n.Path).SingleAsync();
        var themeId = await db.ActivityThemes.Select(t => t.Id).FirstAsync();
        var startUtc = DateTime.SpecifyKind(localStart.AddHours(-8), DateTimeKind.Utc);
        var now = _host.Clock.GetUtcNow().UtcDateTime;
        var activity = Activity.Create(
            new ActivityDetails
            {
                Title = $"{host} {entry} {localStart:MM-dd HH:mm}",
                Entry = entry,
                ThemeIds = [themeId],
                OrgNodeId = hostId,
                Place = "党群服务中心",
                StartUtc = startUtc,
                EndUtc = startUtc.AddHours(hours),
            },
            path,
            createdByUserId: await db.Users.Select(u => u.Id).FirstAsync(),
            now);
        if (publish || cancel || completed)
        {
            activity.Publish(now);
        }

        if (cancel)
        {
            activity.Cancel("天气原因", now);
        }

        if (completed)
        {
            Assert.True(activity.CompleteIfEnded(activity.EndUtc));
        }

        db.Activities.Add(activity);
        await db.SaveChangesAsync();
        // The counter is kept by the sign-up service in SQL; here it is set directly.
        await db.Activities.Where(a => a.Id == activity.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.ConfirmedCount, confirmed));
        return activity.Id;
    }
}
