using DezhiHub.Domain.Activities;
using DezhiHub.Domain;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Coverage;
using DezhiHub.Web.Platform.Access;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Tests.Features;

/// <summary>
/// The coverage matrix on the demo city (城区 has 东街街道, 西街街道 and 北石店镇 below it). Activities are put straight into
/// the database in 2028, a year the demo data does not touch, so every count here is the test's own.
/// </summary>
public sealed class CoverageServiceTests : IAsyncLifetime
{
    private static readonly DateOnly From = new(2028, 3, 1);
    private static readonly DateOnly To = new(2028, 4, 1);

    private FeatureHost _host = default!;

    public async Task InitializeAsync() => _host = await FeatureHost.CreateAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private CoverageService Service => _host.Scoped<CoverageService>();

    [Fact]
    public async Task Matrix_CountsActivitiesParticipantsAndHours_PerChildAndEntry()
    {
        await AddAsync("红星社区", EightEntry.Campuses, new DateTime(2028, 3, 5, 9, 0, 0), hours: 2, confirmed: 10);
        await AddAsync("红星社区/第一网格", EightEntry.Campuses, new DateTime(2028, 3, 6, 14, 0, 0), hours: 1.5, confirmed: 20);
        await AddAsync("和平社区", EightEntry.Families, new DateTime(2028, 3, 7, 9, 0, 0), hours: 1, confirmed: 4);
        await AddAsync("文昌社区", EightEntry.Campuses, new DateTime(2028, 3, 8, 9, 0, 0), hours: 3, confirmed: 0);

        var matrix = await Service.GetMatrixAsync(await _host.SignInAsAsync(Demo.Admin), await QueryAsync("城区"));

        Assert.Equal(["东街街道", "西街街道", "北石店镇"], matrix.Rows.Select(r => r.Name));
        var dongjie = Row(matrix, "东街街道");
        Assert.Equal(new CoverageCell(2, 30, 10 * 2 + (20 * 1.5)), dongjie[EightEntry.Campuses]);
        Assert.Equal(new CoverageCell(1, 4, 4), dongjie[EightEntry.Families]);
        Assert.Equal(new CoverageCell(3, 34, 54), dongjie.Total);
        Assert.Equal(6, dongjie.GapCount);
        Assert.Equal(new CoverageCell(1, 0, 0), Row(matrix, "西街街道")[EightEntry.Campuses]);
        Assert.Equal(8, Row(matrix, "北石店镇").GapCount);
        Assert.Equal(3, matrix.ColumnTotals[(int)EightEntry.Campuses].Activities);
        Assert.Equal(new CoverageCell(4, 34, 54), matrix.GrandTotal);
        Assert.Equal((24, 21), (matrix.CellsExpected, matrix.Gaps));
    }

    [Fact]
    public async Task Matrix_LeavesOutDraftsCancelledAndActivitiesOutsideThePeriod()
    {
        // The period is local dates in Asia/Shanghai: 1 March 00:00 there is 29 February 16:00 UTC.
        await AddAsync("红星社区", EightEntry.Agencies, new DateTime(2028, 3, 1, 0, 0, 0), hours: 1, confirmed: 1);
        await AddAsync("红星社区", EightEntry.Agencies, new DateTime(2028, 3, 31, 23, 30, 0), hours: 1, confirmed: 1, completed: true);
        await AddAsync("红星社区", EightEntry.Agencies, new DateTime(2028, 2, 29, 23, 59, 0), hours: 1, confirmed: 1);
        await AddAsync("红星社区", EightEntry.Agencies, new DateTime(2028, 4, 1, 0, 0, 0), hours: 1, confirmed: 1);
        await AddAsync("红星社区", EightEntry.Agencies, new DateTime(2028, 3, 10, 9, 0, 0), hours: 1, confirmed: 0, publish: false);
        await AddAsync("红星社区", EightEntry.Agencies, new DateTime(2028, 3, 11, 9, 0, 0), hours: 1, confirmed: 3, cancel: true);

        var matrix = await Service.GetMatrixAsync(await _host.SignInAsAsync(Demo.Admin), await QueryAsync("城区"));

        Assert.Equal(new CoverageCell(2, 2, 2), Row(matrix, "东街街道")[EightEntry.Agencies]);
        Assert.Equal(2, matrix.GrandTotal.Activities);
    }

    [Fact]
    public async Task Matrix_PutsActivitiesHostedAtTheNodeItself_InTheHostLevelRow()
    {
        await AddAsync("城区", EightEntry.PartySchools, new DateTime(2028, 3, 2, 9, 0, 0), hours: 2, confirmed: 50);
        await AddAsync("红星社区", EightEntry.PartySchools, new DateTime(2028, 3, 3, 9, 0, 0), hours: 2, confirmed: 5);

        var matrix = await Service.GetMatrixAsync(await _host.SignInAsAsync(Demo.Admin), await QueryAsync("城区"));

        var host = matrix.Rows[0];
        Assert.True(host.IsHostLevel);
        Assert.Equal(("城区", new CoverageCell(1, 50, 100)), (host.Name, host[EightEntry.PartySchools]));
        Assert.Equal(0, host.GapCount);
        Assert.Equal(new CoverageCell(1, 5, 10), Row(matrix, "东街街道")[EightEntry.PartySchools]);
        Assert.Equal(new CoverageCell(2, 55, 110), matrix.ColumnTotals[(int)EightEntry.PartySchools]);
        Assert.Equal(24, matrix.CellsExpected); // the host-level row owes nothing
    }

    [Fact]
    public async Task Matrix_WithoutActivitiesAtTheNode_HasNoHostLevelRow_AndAGridCellShowsOnlyItsOwn()
    {
        await AddAsync("红星社区/第一网格", EightEntry.GridCells, new DateTime(2028, 3, 2, 9, 0, 0), hours: 1, confirmed: 2);
        var admin = await _host.SignInAsAsync(Demo.Admin);

        var community = await Service.GetMatrixAsync(admin, await QueryAsync("红星社区"));
        Assert.DoesNotContain(community.Rows, r => r.IsHostLevel);
        Assert.Equal(["第一网格", "第二网格", "第三网格"], community.Rows.Select(r => r.Name));

        var cell = await Service.GetMatrixAsync(admin, new CoverageQuery(await CellIdAsync("红星社区", "第一网格"), From, To));
        Assert.True(Assert.Single(cell.Rows).IsHostLevel);
        Assert.Equal(1, cell.GrandTotal.Activities);
    }

    [Fact]
    public async Task AnOrganizer_SeesTheirOwnCommunity_ButNotAnotherOrTheCity()
    {
        await AddAsync("红星社区", EightEntry.Families, new DateTime(2028, 3, 2, 9, 0, 0), hours: 1, confirmed: 2);
        var organizer = await _host.SignInAsAsync(Demo.OrganizerHongxing);

        Assert.Equal(await _host.OrgIdAsync("红星社区"), await Service.DefaultNodeIdAsync(organizer));
        var own = await Service.GetMatrixAsync(organizer, await QueryAsync("红星社区"));
        Assert.Equal(1, own.GrandTotal.Activities);

        var heping = await QueryAsync("和平社区");
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.GetMatrixAsync(organizer, heping));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.GetActivitiesAsync(organizer, new CoverageCellQuery(heping.NodeId, From, To, null, null)));
        await Assert.ThrowsAsync<AccessDeniedException>(async () => await Service.GetMatrixAsync(organizer, await QueryAsync("太行市")));
        // An id that does not exist tells an Organizer nothing more than "not yours".
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.GetMatrixAsync(organizer, new CoverageQuery(999_999, From, To)));
    }

    [Fact]
    public async Task AResidentOrVolunteer_IsRefused()
    {
        var city = await QueryAsync("太行市");
        foreach (var phone in new[] { Demo.Resident, Demo.Volunteer, Demo.Partner })
        {
            var user = await _host.SignInAsAsync(phone);
            await Assert.ThrowsAsync<AccessDeniedException>(() => Service.GetMatrixAsync(user, city));
            Assert.Null(await Service.DefaultNodeIdAsync(user));
        }
    }

    [Fact]
    public async Task AnAdmin_OpensOnTheCity_ForTheCurrentYear()
    {
        var admin = await _host.SignInAsAsync(Demo.Admin);

        var query = await Service.ResolveAsync(admin, null, null, null);

        // The fake clock stands at 2026-11-27 09:00 in Shanghai.
        Assert.Equal(new CoverageQuery(await _host.OrgIdAsync("太行市"), new DateOnly(2026, 1, 1), new DateOnly(2027, 1, 1)), query);
    }

    [Fact]
    public async Task DrillDown_ListsTheCellsActivities_InStartOrder_APageAtATime()
    {
        var second = await AddAsync("红星社区/第一网格", EightEntry.Campuses, new DateTime(2028, 3, 6, 14, 0, 0), hours: 1.5, confirmed: 20);
        var first = await AddAsync("红星社区", EightEntry.Campuses, new DateTime(2028, 3, 5, 9, 0, 0), hours: 2, confirmed: 10);
        await AddAsync("红星社区", EightEntry.Families, new DateTime(2028, 3, 5, 9, 0, 0), hours: 2, confirmed: 10);
        await AddAsync("文昌社区", EightEntry.Campuses, new DateTime(2028, 3, 5, 9, 0, 0), hours: 2, confirmed: 10);
        var admin = await _host.SignInAsAsync(Demo.Admin);
        var district = await _host.OrgIdAsync("城区");
        var dongjie = await _host.OrgIdAsync("东街街道");

        var cell = await Service.GetActivitiesAsync(admin, new CoverageCellQuery(district, From, To, dongjie, EightEntry.Campuses));

        Assert.Equal(2, cell.Total);
        Assert.Equal([first, second], cell.Items.Select(a => a.Id));
        Assert.Equal(("东街街道 / 红星社区", 10, 20.0), (cell.Items[0].HostName, cell.Items[0].Participants, cell.Items[0].Hours));
        Assert.Equal("东街街道 / 红星社区 / 第一网格", cell.Items[1].HostName);

        var page = await Service.GetActivitiesAsync(admin, new CoverageCellQuery(district, From, To, dongjie, EightEntry.Campuses, Page: 1, PageSize: 1));
        Assert.Equal((2, second), (page.Total, Assert.Single(page.Items).Id));

        var row = await Service.GetActivitiesAsync(admin, new CoverageCellQuery(district, From, To, dongjie, null));
        Assert.Equal(3, row.Total);
        var column = await Service.GetActivitiesAsync(admin, new CoverageCellQuery(district, From, To, null, EightEntry.Campuses));
        Assert.Equal(3, column.Total);
    }

    [Fact]
    public async Task DrillDown_IntoTheHostLevelRow_ListsOnlyTheNodesOwnActivities()
    {
        var own = await AddAsync("城区", EightEntry.Enterprises, new DateTime(2028, 3, 2, 9, 0, 0), hours: 1, confirmed: 1);
        await AddAsync("红星社区", EightEntry.Enterprises, new DateTime(2028, 3, 2, 9, 0, 0), hours: 1, confirmed: 1);
        var district = await _host.OrgIdAsync("城区");

        var cell = await Service.GetActivitiesAsync(await _host.SignInAsAsync(Demo.Admin), new CoverageCellQuery(district, From, To, district, EightEntry.Enterprises));

        Assert.Equal(own, Assert.Single(cell.Items).Id);
        Assert.Equal("城区", cell.Items[0].HostName);
    }

    [Fact]
    public async Task DrillDown_RefusesARowThatIsNotAChildOfTheNode()
    {
        var admin = await _host.SignInAsAsync(Demo.Admin);
        var query = new CoverageCellQuery(await _host.OrgIdAsync("城区"), From, To, await _host.OrgIdAsync("红星社区"), null);

        var error = await Assert.ThrowsAsync<DomainException>(() => Service.GetActivitiesAsync(admin, query));
        Assert.Equal("Org.NotFound", error.Code);
    }

    [Fact]
    public async Task APeriod_ThatIsEmptyOrTooLong_IsRefused()
    {
        var admin = await _host.SignInAsAsync(Demo.Admin);
        var city = await _host.OrgIdAsync("太行市");

        foreach (var (from, to) in new[] { (To, From), (From, From), (From, From.AddYears(6)) })
        {
            var error = await Assert.ThrowsAsync<DomainException>(() => Service.GetMatrixAsync(admin, new CoverageQuery(city, from, to)));
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
