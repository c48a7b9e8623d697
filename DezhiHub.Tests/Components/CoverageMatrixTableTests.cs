using Bunit;
using DezhiHub.Domain.Activities;
using DezhiHub.Domain.Organization;
using DezhiHub.Web.Features.Coverage;

namespace DezhiHub.Tests.Components;

/// <summary>The coverage matrix component: gaps stand out, numbers open their activities, unit names open the unit.</summary>
public sealed class CoverageMatrixTableTests : IAsyncLifetime
{
    private ComponentHost _host = default!;

    public Task InitializeAsync()
    {
        _host = ComponentHost.CreateBare();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public void EmptyCells_OfAUnit_AreMarkedAsGaps_ButNotOnTheHostLevelRow()
    {
        using var culture = CultureScope.Use("zh-CN");
        var table = Render(Matrix());

        var gaps = table.FindAll("tbody td[data-gap=true]");
        // 东街街道 lacks 7 entries, 北石店镇 all 8; the host-level row's zeros are not gaps.
        Assert.Equal(15, gaps.Count);
        Assert.All(gaps, td => Assert.Contains("dz-cov-gap", td.ClassList));
        Assert.Empty(table.FindAll($"tr[data-row='{HostId}'] td[data-gap]"));
        Assert.Contains("未覆盖", gaps[0].GetAttribute("title"));
        Assert.Equal(["进机关", "进党校", "进企业", "进校园", "进农村", "进社区", "进家庭", "进网格", "合计"],
            table.FindAll("thead th").Skip(1).Select(th => th.TextContent.Trim()));
    }

    [Fact]
    public void ClickingACell_RaisesTheDrillDown_ForItsUnitAndEntry()
    {
        using var culture = CultureScope.Use("zh-CN");
        CoverageCellClick? clicked = null;
        var table = Render(Matrix(), click => clicked = click);

        table.Find($"tr[data-row='{DongjieId}'] td[data-entry=Campuses] button").Click();

        table.WaitForAssertion(() => Assert.Equal(new CoverageCellClick(DongjieId, "东街街道", EightEntry.Campuses), clicked));
        Assert.Equal("3", table.Find($"tr[data-row='{DongjieId}'] td[data-entry=Campuses] button").TextContent);
        // A gap has nothing to open.
        Assert.Empty(table.FindAll($"tr[data-row='{DongjieId}'] td[data-entry=Agencies] button"));
    }

    [Fact]
    public void ClickingAColumnTotal_RaisesTheDrillDown_ForAllUnits()
    {
        using var culture = CultureScope.Use("zh-CN");
        CoverageCellClick? clicked = null;
        var table = Render(Matrix(), click => clicked = click);

        table.Find("tfoot td[data-entry=Campuses] button").Click();

        table.WaitForAssertion(() => Assert.Equal(new CoverageCellClick(null, "全部单位", EightEntry.Campuses), clicked));
        Assert.Equal("4", table.Find("tfoot td[data-entry=Campuses] button").TextContent);
    }

    [Fact]
    public void TheMetric_ChoosesWhichFigureTheCellsShow()
    {
        using var culture = CultureScope.Use("en-US");
        var table = _host.Bunit.Render<CoverageMatrixTable>(p => p.Add(x => x.Matrix, Matrix()).Add(x => x.Metric, CoverageMetric.Hours));

        Assert.Equal("7.5", table.Find($"tr[data-row='{DongjieId}'] td[data-entry=Campuses] button").TextContent);
        Assert.Equal("Campuses", table.FindAll("thead th")[4].TextContent.Trim());
    }

    [Fact]
    public void ClickingAUnitName_OpensThatUnit()
    {
        using var culture = CultureScope.Use("zh-CN");
        CoverageRow? opened = null;
        var table = _host.Bunit.Render<CoverageMatrixTable>(p => p.Add(x => x.Matrix, Matrix()).Add(x => x.OnRowOpen, row => opened = row));

        table.Find($"tr[data-row='{BeishidianId}'] [data-testid=coverage-open]").Click();

        table.WaitForAssertion(() => Assert.Equal(BeishidianId, opened?.NodeId));
        Assert.Empty(table.FindAll($"tr[data-row='{HostId}'] [data-testid=coverage-open]"));
    }

    private const int HostId = 2;
    private const int DongjieId = 3;
    private const int BeishidianId = 5;

    private IRenderedComponent<CoverageMatrixTable> Render(CoverageMatrix matrix, Action<CoverageCellClick>? onClick = null) =>
        _host.Bunit.Render<CoverageMatrixTable>(p => p
            .Add(x => x.Matrix, matrix)
            .Add(x => x.OnCellClick, click => onClick?.Invoke(click)));

    /// <summary>城区: activities of its own (本级), 东街街道 with one entry reached, 西街街道 with all eight, 北石店镇 with none.</summary>
    private static CoverageMatrix Matrix()
    {
        static CoverageCell[] Cells(Func<EightEntry, CoverageCell> cell) => [.. Enum.GetValues<EightEntry>().Select(cell)];
        return new CoverageMatrix(HostId, "城区", "太行市 / 城区", "/1/2/", OrgLevel.District, new DateOnly(2028, 1, 1), new DateOnly(2029, 1, 1), CoverageHoursBasis.SignUps,
        [
            new CoverageRow(HostId, "城区", OrgLevel.District, IsHostLevel: true, IsRetired: false,
                Cells(e => e == EightEntry.PartySchools ? new CoverageCell(1, 40, 80) : CoverageCell.Empty)),
            new CoverageRow(DongjieId, "东街街道", OrgLevel.Street, IsHostLevel: false, IsRetired: false,
                Cells(e => e == EightEntry.Campuses ? new CoverageCell(3, 5, 7.5) : CoverageCell.Empty)),
            new CoverageRow(4, "西街街道", OrgLevel.Street, IsHostLevel: false, IsRetired: false, Cells(_ => new CoverageCell(1, 2, 2))),
            new CoverageRow(BeishidianId, "北石店镇", OrgLevel.Street, IsHostLevel: false, IsRetired: false, Cells(_ => CoverageCell.Empty)),
        ]);
    }
}
