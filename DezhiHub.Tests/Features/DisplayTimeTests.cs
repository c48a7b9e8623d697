using System.Globalization;
using DezhiHub.Web;
using DezhiHub.Web.Features.Localization;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace DezhiHub.Tests.Features;

public sealed class DisplayTimeTests
{
    private static readonly DateTime Utc = new(2026, 11, 27, 21, 5, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("zh-CN", "2026/11/28 05:05")]
    [InlineData("en-US", "11/28/2026 5:05 AM")]
    public void StoredUtc_IsShownInShanghaiTime_InTheReadersFormat(string culture, string expected)
    {
        var time = new DisplayTime(Options.Create(new DezhiHubOptions()), new FakeTimeProvider());
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo(culture);
        try
        {
            Assert.Equal(expected, time.FormatDateTime(Utc).Replace('\u202F', ' '));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void ADifferentDeploymentZone_IsHonoured_AndRoundTrips()
    {
        var time = new DisplayTime(Options.Create(new DezhiHubOptions { TimeZone = "Asia/Urumqi" }), new FakeTimeProvider());
        var local = time.ToLocal(Utc);
        Assert.Equal(new DateTime(2026, 11, 28, 3, 5, 0), local);
        Assert.Equal(Utc, time.ToUtc(local));
    }
}
