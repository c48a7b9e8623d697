using System.Net;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Data;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DezhiHub.Tests.Web;

/// <summary>The coverage page and its CSV/Excel exports over HTTP: who may fetch what, and what comes back.</summary>
[Collection(WebCollection.Name)]
public sealed class CoverageExportTests(AppFactory app)
{
    [Theory]
    [InlineData("/coverage")]
    [InlineData("/coverage/export.csv")]
    [InlineData("/coverage/export.xlsx")]
    public async Task Anonymous_IsSentToSignIn(string path)
    {
        using var client = app.NewClient();
        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery);
    }

    [Theory]
    [InlineData("/coverage")]
    [InlineData("/coverage/export.csv")]
    [InlineData("/coverage/export.xlsx")]
    public async Task AVolunteer_IsSentToAccessDenied(string path)
    {
        using var client = app.NewClient();
        Assert.True(await client.SignInAsync(Demo.Volunteer));

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/access-denied", response.Headers.Location!.PathAndQuery);
    }

    [Theory]
    [InlineData("zh-CN", "报名人时＝已确认报名人数 × 活动计划时长，反映的是报名计划，不是实际到场", "签到上线后")]
    [InlineData("en-US", "sign-up hours = confirmed sign-ups × scheduled duration: what people signed up for, not who came", "Once check-in exists")]
    public async Task TheFootnote_SaysWhatTheHoursAre_WithoutPromisingCheckIn(string culture, string says, string mustNotSay)
    {
        using var client = app.NewClient(culture);
        Assert.True(await client.SignInAsync(Demo.OrganizerHongxing));

        var html = WebUtility.HtmlDecode(await client.GetStringAsync("/coverage"));

        Assert.Contains(says, html);
        Assert.DoesNotContain(mustNotSay, html);
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("xlsx")]
    public async Task AnOrganizer_CannotExportAnotherCommunity_OrTheCity(string extension)
    {
        using var client = app.NewClient();
        Assert.True(await client.SignInAsync(Demo.OrganizerHongxing));

        foreach (var name in new[] { "和平社区", "太行市" })
        {
            using var response = await client.GetAsync($"/coverage/export.{extension}?node={await OrgIdAsync(name)}");
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("不在您的管理范围内", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task AnOrganizer_ExportsTheirCommunity_AsCsv()
    {
        using var client = app.NewClient();
        Assert.True(await client.SignInAsync(Demo.OrganizerHongxing));

        // No node: the organizer's own community; no period: this year.
        using var response = await client.GetAsync("/coverage/export.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n");
        Assert.Contains("太行市 / 城区 / 东街街道 / 红星社区", lines[0]);
        Assert.Contains("2026-01-01 至 2026-12-31", lines[0]);
        Assert.Contains("\"活动场次\",\"进机关\",\"进党校\",\"进企业\",\"进校园\",\"进农村\",\"进社区\",\"进家庭\",\"进网格\",\"合计\"", lines);
        Assert.Contains(lines, l => l.StartsWith("\"第一网格\",", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("和平社区", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnAdmin_ExportsADistrict_AsAnExcelWorkbook()
    {
        using var client = app.NewClient("en-US");
        Assert.True(await client.SignInAsync(Demo.Admin));

        using var response = await client.GetAsync($"/coverage/export.xlsx?node={await OrgIdAsync("城区")}&from=2026-01-01&to=2027-01-01");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType!.MediaType);
        using var document = SpreadsheetDocument.Open(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), false);
        var sheet = document.WorkbookPart!.WorksheetParts.Single().Worksheet;
        var rows = sheet.Descendants<Row>().Select(r => r.Elements<Cell>().Select(c => c.InnerText).ToList()).ToList();
        Assert.Equal("Eight-entries coverage of 太行市 / 城区 (2026-01-01 to 2026-12-31)", rows[0][0]);
        var header = rows.First(r => r.Count > 0 && r[0] == "Activities");
        Assert.Equal(["Activities", "Agencies", "Party schools", "Enterprises", "Campuses", "Villages", "Communities", "Families", "Grid cells", "Total"], header);
        var streets = rows.SkipWhile(r => r != header).Skip(1).TakeWhile(r => r.Count > 0 && r[0] != "Total").Select(r => r[0]).ToList();
        Assert.Equal(["东街街道", "西街街道", "北石店镇"], streets.Where(s => !s.StartsWith("This level", StringComparison.Ordinal)));
        // Figures are numbers, not text, so a spreadsheet can add them up.
        var total = sheet.Descendants<Row>().First(r => r.Elements<Cell>().FirstOrDefault()?.InnerText == "Total").Elements<Cell>().ElementAt(1);
        Assert.Equal(CellValues.Number, total.DataType!.Value);
    }

    [Fact]
    public async Task AnInvalidPeriod_IsABadRequest()
    {
        using var client = app.NewClient();
        Assert.True(await client.SignInAsync(Demo.Admin));

        using var reversed = await client.GetAsync("/coverage/export.csv?from=2026-05-01&to=2026-04-01");
        Assert.Equal(HttpStatusCode.BadRequest, reversed.StatusCode);
        using var garbage = await client.GetAsync("/coverage/export.csv?from=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
    }

    [Fact]
    public async Task ThePage_ShowsTheMatrixOfTheOrganizersCommunity()
    {
        using var client = app.NewClient();
        Assert.True(await client.SignInAsync(Demo.OrganizerHongxing));

        var html = await client.GetStringAsync("/coverage");

        Assert.Contains("data-testid=\"coverage-matrix\"", html);
        Assert.Contains("太行市 / 城区 / 东街街道 / 红星社区", html);
        Assert.Contains("第三网格", html);
        Assert.Contains("/coverage/export.xlsx?node=", html);
    }

    private async Task<int> OrgIdAsync(string name)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await db.OrgNodes.Where(n => n.Name == name).Select(n => n.Id).SingleAsync();
    }
}
