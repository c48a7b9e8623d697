using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Text.RegularExpressions;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Volunteering;
using DezhiHub.Web.Platform.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DezhiHub.Tests.Web;

/// <summary>"我的志愿" (/volunteer) and the organizer's view of a person (/volunteers/{id}) over real HTTP.</summary>
/// <remarks>
/// Makes 张国强 (13910269246, a seeded resident of 红星社区) a volunteer with an award; reads 王志刚 (13910253408) as a
/// resident who has not joined. No other test may depend on either.
/// </remarks>
[Collection(WebCollection.Name)]
public sealed class VolunteerPageTests(AppFactory app)
{
    private const string Joined = "13910269246";
    private const string NotJoined = "13910253408";

    [Fact]
    public async Task Anonymous_IsSentToSignIn_AndComesBack()
    {
        using var client = app.NewClient();

        using var response = await client.GetAsync("/volunteer");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login", response.Headers.Location!.AbsolutePath);
        Assert.Contains("returnUrl=/volunteer", Uri.UnescapeDataString(response.Headers.Location!.Query), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AResidentWhoHasNotJoined_SeesTheShortForm_WithTheAccountData_AndTheIdNote()
    {
        using var client = app.NewClient();
        Assert.True(await client.SignInAsync(NotJoined));

        var html = WebUtility.HtmlDecode(await client.GetStringAsync("/volunteer"));

        Assert.Contains("data-testid=\"volunteer-form\"", html);
        Assert.Contains("成为志愿者", html);
        Assert.Contains("王志刚", html);
        Assert.Contains(NotJoined, html);
        Assert.Contains("第一网格", html);
        Assert.Contains("href=\"/account/profile\"", html);
        Assert.Contains("从不保存完整的身份证号码", html);
        Assert.DoesNotContain("data-testid=\"volunteer-summary\"", html);
    }

    [Fact]
    public async Task TheDemoVolunteer_SeesHisStarHoursAndPoints_NotTheFormToBecomeOne()
    {
        using var client = app.NewClient();
        Assert.True(await client.SignInAsync(Demo.Volunteer));

        var html = WebUtility.HtmlDecode(await client.GetStringAsync("/volunteer"));

        Assert.Contains("data-testid=\"volunteer-summary\"", html);
        Assert.DoesNotContain("data-testid=\"volunteer-form\"", html);
        Assert.DoesNotContain("成为志愿者", html);
        Assert.Matches("data-testid=\"star-text\"[^>]*>1★<", html);
        var hours = double.Parse(Regex.Match(html, "data-testid=\"total-hours\"[^>]*>([0-9.]+)<").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(hours, 100, 130);
        var points = int.Parse(Regex.Match(html, "data-testid=\"points-balance\"[^>]*>([0-9,]+)<").Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        Assert.True(points > 0, "points to spend in the market");
        Assert.Contains("升至 2★", html);
    }

    [Fact]
    public async Task AVolunteer_SeesTheirStarLevel_Hours_AndBalance_InBothLanguages()
    {
        var userId = await JoinWithAwardAsync();
        using var client = app.NewClient();
        Assert.True(await client.SignInAsync(Joined));

        var html = WebUtility.HtmlDecode(await client.GetStringAsync("/volunteer"));

        Assert.Matches("data-testid=\"star-text\"[^>]*>0★<", html);
        Assert.Matches("data-testid=\"points-balance\"[^>]*>30<", html);
        Assert.Matches("data-testid=\"total-hours\"[^>]*>0<", html);
        Assert.Contains("还需 100 小时升至 1★", html);
        Assert.Contains("href=\"/volunteer/card\"", html);
        Assert.Contains("href=\"/market\"", html);
        Assert.Contains("急救", html);
        Assert.DoesNotContain("data-testid=\"volunteer-form\"", html);

        using var english = app.NewClient("en-US");
        Assert.True(await english.SignInAsync(Joined));
        var englishHtml = WebUtility.HtmlDecode(await english.GetStringAsync("/volunteer"));
        Assert.Contains("Points balance", englishHtml);
        Assert.Contains("100 more hours to 1★", englishHtml);
        Assert.Contains("My volunteering", englishHtml);

        // The organizer's view of the same person: only for the organizers of the area.
        using var organizer = app.NewClient();
        using var otherCommunity = app.NewClient();
        using var resident = app.NewClient();
        Assert.True(await organizer.SignInAsync(Demo.OrganizerHongxing));
        Assert.True(await otherCommunity.SignInAsync(Demo.OrganizerHeping));
        Assert.True(await resident.SignInAsync(NotJoined));
        var path = $"/volunteers/{userId}";

        var organizerHtml = WebUtility.HtmlDecode(await organizer.GetStringAsync(path));
        Assert.Matches("data-testid=\"volunteer-name\"[^>]*>张国强<", organizerHtml);
        Assert.Matches("data-testid=\"points-balance\"[^>]*>30<", organizerHtml);
        Assert.Contains("data-testid=\"award-open\"", organizerHtml);
        Assert.Contains("139****9246", organizerHtml);
        Assert.DoesNotContain(Joined, organizerHtml);
        var otherHtml = await otherCommunity.GetStringAsync(path);
        Assert.Contains("data-testid=\"access-denied\"", otherHtml);
        Assert.DoesNotContain("张国强", otherHtml);
        using var residentResponse = await resident.GetAsync(path);
        Assert.StartsWith("/account/access-denied", residentResponse.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task TheNavMenu_LinksToMyVolunteering_ForEveryone_AndToVolunteersAndApprovals_ForManagers()
    {
        using var resident = app.NewClient();
        using var organizer = app.NewClient();
        Assert.True(await resident.SignInAsync(NotJoined));
        Assert.True(await organizer.SignInAsync(Demo.OrganizerHongxing));

        var residentHtml = await resident.GetStringAsync("/activities");
        var organizerHtml = await organizer.GetStringAsync("/activities");

        Assert.Matches("href=\"/volunteer\"[^>]*>(?s:.*?)我的志愿<", residentHtml);
        Assert.DoesNotContain("href=\"/volunteers\"", residentHtml);
        Assert.DoesNotContain("href=\"/points/awards\"", residentHtml);
        Assert.Matches("href=\"/volunteers\"[^>]*>(?s:.*?)志愿者<", organizerHtml);
        Assert.Matches("href=\"/points/awards\"[^>]*>(?s:.*?)积分审批<", organizerHtml);
    }

    /// <summary>张国强 joins (once) and is awarded 30 points by 红星社区's organizer; returns his id.</summary>
    private async Task<int> JoinWithAwardAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var volunteers = services.GetRequiredService<VolunteerService>();
        var person = await PrincipalAsync(services, Joined);
        if (!(await volunteers.MineAsync(person)).IsVolunteer)
        {
            await volunteers.CompleteProfileAsync(person, "急救,摄影", null);
            await volunteers.AwardAsync(await PrincipalAsync(services, Demo.OrganizerHongxing), person.RequiredUserId(), 30, "帮助独居老人买菜");
        }

        return person.RequiredUserId();
    }

    private static async Task<ClaimsPrincipal> PrincipalAsync(IServiceProvider services, string phone)
    {
        var users = services.GetRequiredService<UserManager<AppUser>>();
        var user = await users.Users.SingleAsync(u => u.PhoneNumber == phone);
        return Principals.For(user.Id, user.RealName, [.. await users.GetRolesAsync(user)]);
    }
}
