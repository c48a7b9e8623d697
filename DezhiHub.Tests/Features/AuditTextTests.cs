using System.Globalization;
using DezhiHub.Web;
using DezhiHub.Web.Features.Auditing;
using DezhiHub.Web.Features.Localization;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace DezhiHub.Tests.Features;

public sealed class AuditTextTests
{
    [Fact]
    public void Snapshots_ReadAsPairs_WithTimesInTheDeploymentZone()
    {
        var time = new DisplayTime(Options.Create(new DezhiHubOptions()), new FakeTimeProvider());
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("zh-CN");
        try
        {
            var fields = AuditText.Fields("""{"Title":"红色读书会","StartUtc":"2026-12-12T02:00:00Z","Roles":["Admin","Volunteer"],"Capacity":null}""", time);
            Assert.Equal(
                [("Title", "红色读书会"), ("StartUtc", "2026年12月12日 10:00"), ("Roles", "Admin, Volunteer"), ("Capacity", "—")],
                fields);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Theory]
    [InlineData(null, 0)]
    [InlineData("", 0)]
    [InlineData("not json", 1)]
    [InlineData("[1,2]", 1)]
    public void AnythingElse_IsShownAsItIs(string? snapshot, int count)
    {
        var time = new DisplayTime(Options.Create(new DezhiHubOptions()), new FakeTimeProvider());
        Assert.Equal(count, AuditText.Fields(snapshot, time).Count);
    }
}
