using System.Globalization;
using System.Text.RegularExpressions;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Platform.Localization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace DezhiHub.Tests.EndToEnd;

/// <summary>
/// An organizer plans and publishes an activity through the form, a resident finds it on a phone and signs up, and
/// the organizer sees them on the roster.
/// </summary>
/// <remarks>Adds an activity of 红星社区 with 赵磊 (13800000006) signed up to the shared demo data.</remarks>
[Collection(WebCollection.Name)]
public sealed class ActivityTests(AppFactory app, Browser browser, ITestOutputHelper output)
    : EndToEndTest(app, browser, output), IClassFixture<Browser>
{
    [SkippableFact]
    public async Task Organizer_PublishesThroughTheForm_AResidentSignsUpOnAPhone_AndAppearsOnTheRoster()
    {
        var title = $"红色故事会 {Random.Shared.Next(1000, 9999)}";
        // Two months ahead: nothing of the demo month or of other tests is on that day.
        var day = App.Services.GetRequiredService<DisplayTime>().LocalNow.Date.AddDays(60).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var organizer = await OpenAsync();
        await SignInAsync(organizer, Demo.OrganizerHongxing);
        await GoAsync(organizer, "/activities/manage");
        await organizer.Locator("[data-testid=new-activity]").ClickAsync();
        await Expect(organizer).ToHaveURLAsync(new Regex("/activities/new$"));
        await Expect(organizer.Locator("h1")).ToHaveTextAsync("新建活动");

        await FillFieldAsync(organizer.Locator("[data-testid=activity-title-input]"), title);
        await organizer.Locator("[data-testid=entry-choice]").GetByText("进社区", new() { Exact = true }).ClickAsync();
        await organizer.Locator("[data-testid=themes-select]").ClickAsync();
        await organizer.Locator(".mud-popover-open .mud-list-item").GetByText("太行精神", new() { Exact = true }).ClickAsync();
        await organizer.Keyboard.PressAsync("Escape");
        await Expect(organizer.Locator("[data-testid=themes-select]")).ToHaveValueAsync("太行精神");
        await FillFieldAsync(organizer.Locator("[data-testid=activity-description-input]"), "讲述太行山上的红色故事。\n欢迎携家人参加。");
        // The host defaults to the organizer's own community.
        await Expect(organizer.Locator("[data-testid=org-picker]")).ToHaveValueAsync("太行市 / 城区 / 东街街道 / 红星社区");
        await FillFieldAsync(organizer.Locator("[data-testid=activity-place-input]"), "红星社区党群服务中心");
        await FillFieldAsync(organizer.Locator("[data-testid=start-date]"), day);
        // The end date follows the start date.
        await Expect(organizer.Locator("[data-testid=end-date]")).ToHaveValueAsync(day);
        await FillFieldAsync(organizer.Locator("input[data-testid=capacity]"), "30");
        await ShotAsync(organizer, "form");
        await organizer.Locator("[data-testid=activity-save]").ClickAsync();

        await Expect(organizer).ToHaveURLAsync(new Regex(@"/activities/\d+$"));
        await Expect(organizer.Locator("[data-testid=activity-heading]")).ToHaveTextAsync(title);
        await Expect(organizer.Locator("[data-testid=activity-state]")).ToHaveTextAsync("草稿");
        var activityPath = new Uri(organizer.Url).AbsolutePath;
        await organizer.Locator("[data-testid=publish]").ClickAsync();
        await Expect(organizer.Locator(".mud-snackbar").Filter(new() { HasText = "已发布。" })).ToBeVisibleAsync();
        await Expect(organizer.Locator("[data-testid=activity-state]")).ToHaveTextAsync("报名中");
        await Expect(organizer.Locator("[data-testid=activity-description]")).ToHaveTextAsync("讲述太行山上的红色故事。\n欢迎携家人参加。");
        await ShotAsync(organizer, "published");

        var resident = await OpenAsync(phone: true);
        await SignInAsync(resident, Demo.Resident);
        await GoAsync(resident, "/activities");
        await resident.Locator("[data-testid=activities-search]").FillAsync(title);
        var card = resident.Locator("[data-testid=activity-card]");
        await Expect(card).ToHaveCountAsync(1);
        await Expect(card).ToContainTextAsync("报名中");
        await Expect(card).ToContainTextAsync("已报名 0/30");
        await ShotAsync(resident, "list");
        await card.ClickAsync();

        await Expect(resident).ToHaveURLAsync(new Regex(Regex.Escape(activityPath) + "$"));
        await resident.Locator("[data-testid=sign-up]").ClickAsync();
        await Expect(resident.Locator(".mud-snackbar").Filter(new() { HasText = "报名成功！" })).ToBeVisibleAsync();
        await Expect(resident.Locator("[data-testid=my-status]")).ToHaveTextAsync("您已报名此活动。");
        await Expect(resident.Locator("[data-testid=activity-seats]")).ToContainTextAsync("已报名 1/30");
        await Expect(resident.Locator("[data-testid=cancel-sign-up]")).ToBeVisibleAsync();
        Assert.True(await ScrollWidthAsync(resident) <= Phone.Width, "the detail page fits the phone's width");
        await ShotAsync(resident, "signed-up");

        await organizer.Locator("[data-testid=roster-link]").ClickAsync();
        await Expect(organizer).ToHaveURLAsync(new Regex(Regex.Escape(activityPath) + "/roster$"));
        var confirmed = organizer.Locator("[data-testid=roster-confirmed] tbody tr");
        await Expect(confirmed).ToHaveCountAsync(1);
        await Expect(confirmed).ToContainTextAsync("赵磊");
        await Expect(confirmed).ToContainTextAsync("138****0006");
        await Expect(organizer.Locator("[data-testid=roster-csv]")).ToHaveAttributeAsync("href", activityPath + "/roster.csv");
        await ShotAsync(organizer, "roster");
        AssertNoProblems();
    }
}
