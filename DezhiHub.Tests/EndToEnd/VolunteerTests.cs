using System.Text.RegularExpressions;
using DezhiHub.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace DezhiHub.Tests.EndToEnd;

/// <summary>
/// A resident becomes a volunteer on a phone, an organizer awards them points from the desktop, and the volunteer sees
/// the new balance and where the points came from.
/// </summary>
/// <remarks>
/// Changes 李桂英 (13910261327) and gives 王志刚 (13910253408) points, both seeded residents of 红星社区: no other test may
/// depend on their volunteer profile or points.
/// </remarks>
[Collection(WebCollection.Name)]
public sealed class VolunteerTests(AppFactory app, Browser browser, ITestOutputHelper output)
    : EndToEndTest(app, browser, output), IClassFixture<Browser>
{
    private const string Resident = "13910261327";
    private const string AwardedResident = "13910253408";

    [SkippableFact]
    public async Task AResident_JoinsOnAPhone_AnOrganizerAwardsPoints_AndTheVolunteerSeesWhereTheyCameFrom()
    {
        var phone = await OpenAsync(phone: true);
        await SignInAsync(phone, Resident);
        await GoAsync(phone, "/volunteer");
        var form = phone.Locator("[data-testid=volunteer-form]");
        await Expect(form).ToContainTextAsync("成为志愿者");
        await Expect(phone.Locator("[data-testid=volunteer-account]")).ToContainTextAsync("李桂英");
        await Expect(phone.Locator("[data-testid=volunteer-account]")).ToContainTextAsync(Resident);
        await Expect(phone.Locator("[data-testid=volunteer-id-note]")).ToContainTextAsync("从不保存完整的身份证号码");

        var skill = phone.Locator("[data-testid=volunteer-skill-input]");
        await skill.FillAsync("急救");
        await skill.PressAsync("Enter");
        await Expect(phone.Locator("[data-testid=volunteer-skills]")).ToContainTextAsync("急救");
        await FillFieldAsync(skill, "摄影");
        await FillFieldAsync(phone.Locator("[data-testid=volunteer-id-last4]"), "123x");
        Assert.True(await ScrollWidthAsync(phone) <= Phone.Width, "the form fits the phone's width");
        await ShotAsync(phone, "join-form-phone");
        await phone.Locator("[data-testid=volunteer-save]").ClickAsync();

        await Expect(phone.Locator(".mud-snackbar")).ToContainTextAsync("您已成为注册志愿者");
        await Expect(phone.Locator("[data-testid=star-text]")).ToHaveTextAsync("0★");
        await Expect(phone.Locator("[data-testid=star-next]")).ToContainTextAsync("还需 100 小时升至 1★");
        await Expect(phone.Locator("[data-testid=points-balance]")).ToHaveTextAsync("0");
        await Expect(phone.Locator("[data-testid=volunteer-profile]")).ToContainTextAsync("急救");
        await Expect(phone.Locator("[data-testid=volunteer-profile]")).ToContainTextAsync("摄影");
        await Expect(phone.Locator("[data-testid=volunteer-profile]")).ToContainTextAsync("123X");
        await Expect(phone.Locator("[data-testid=points-history]")).ToContainTextAsync("还没有积分记录");
        Assert.True(await ScrollWidthAsync(phone) <= Phone.Width, "the volunteer page fits the phone's width");
        await ShotAsync(phone, "joined-phone");

        // The organizer finds her by the last digits of her number and awards points for a good deed.
        var desk = await OpenAsync();
        await SignInAsync(desk, Demo.OrganizerHongxing);
        await GoAsync(desk, "/");
        await desk.Locator(".mud-drawer").GetByRole(AriaRole.Link, new() { Name = "志愿者", Exact = true }).ClickAsync();
        await Expect(desk).ToHaveURLAsync(new Regex("/volunteers$"));
        await InteractiveAsync(desk);
        await desk.Locator("[data-testid=volunteers-search]").FillAsync("261327");
        var rows = desk.Locator("[data-testid=volunteers-table] tbody tr");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows).ToContainTextAsync("李桂英");
        await Expect(rows).ToContainTextAsync("0★");
        await ShotAsync(desk, "volunteers-desktop");
        await rows.Locator("[data-testid=volunteer-link]").ClickAsync();

        await Expect(desk).ToHaveURLAsync(new Regex("/volunteers/\\d+$"));
        await Expect(desk.Locator("[data-testid=volunteer-name]")).ToHaveTextAsync("李桂英");
        await InteractiveAsync(desk);
        await desk.Locator("[data-testid=award-open]").ClickAsync();
        var dialog = desk.Locator(".mud-dialog");
        await Expect(dialog).ToContainTextAsync("超过 50 分需另一位组织者审批");
        await FillFieldAsync(dialog.Locator("[data-testid=award-points]"), "30");
        await FillFieldAsync(dialog.Locator("[data-testid=award-reason]"), "帮助邻居搬运防汛物资");
        await ShotAsync(desk, "award-dialog");
        await dialog.Locator("[data-testid=award-confirm]").ClickAsync();

        await Expect(desk.Locator(".mud-snackbar")).ToContainTextAsync("已为 李桂英 奖励 30 积分");
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(desk.Locator("[data-testid=points-balance]")).ToHaveTextAsync("30");
        var deskLine = desk.Locator("[data-testid=points-history] tbody tr").First;
        await Expect(deskLine).ToContainTextAsync("帮助邻居搬运防汛物资");
        await Expect(deskLine.Locator("[data-testid=reverse-points]")).ToBeVisibleAsync();
        await ShotAsync(desk, "awarded-desktop");

        // Back on her phone: the balance and the entry, with where the points came from.
        await GoAsync(phone, "/volunteer");
        await Expect(phone.Locator("[data-testid=points-balance]")).ToHaveTextAsync("30");
        var line = phone.Locator("[data-testid=points-history] tbody tr").First;
        await Expect(line.Locator("[data-testid=points-delta]")).ToHaveTextAsync("+30");
        await Expect(line).ToContainTextAsync("奖励");
        await Expect(line.Locator("[data-testid=points-source]")).ToHaveTextAsync("好人好事奖励");
        await Expect(line).ToContainTextAsync("帮助邻居搬运防汛物资");
        await Expect(line).ToContainTextAsync("李秀英");
        Assert.Equal(0, await phone.Locator("[data-testid=reverse-points]").CountAsync());
        Assert.True(await ScrollWidthAsync(phone) <= Phone.Width, "the history fits the phone's width");
        await ShotAsync(phone, "history-phone");
        AssertNoProblems();
    }

    [SkippableFact]
    public async Task ALargeAward_WaitsForASecondOrganizer_WhoApprovesItOnTheApprovalsPage()
    {
        var organizer = await OpenAsync();
        await SignInAsync(organizer, Demo.OrganizerHongxing);
        await GoAsync(organizer, "/admin/users");
        await organizer.Locator("[data-testid=users-search]").FillAsync("253408");
        var rows = organizer.Locator("[data-testid=users-table] tbody tr");
        await Expect(rows).ToHaveCountAsync(1);
        await ShotAsync(organizer, "users-link");
        await rows.Locator("[data-testid=user-volunteer-link]").ClickAsync();
        await Expect(organizer).ToHaveURLAsync(new Regex("/volunteers/\\d+$"));
        await Expect(organizer.Locator(".mud-dialog")).ToHaveCountAsync(0); // the link, not the row's edit dialog
        await Expect(organizer.Locator("[data-testid=volunteer-name]")).ToHaveTextAsync("王志刚");
        await Expect(organizer.Locator("[data-testid=not-volunteer]")).ToBeVisibleAsync();
        await InteractiveAsync(organizer);
        var volunteerPage = organizer.Url;

        await organizer.Locator("[data-testid=award-open]").ClickAsync();
        var dialog = organizer.Locator(".mud-dialog");
        await FillFieldAsync(dialog.Locator("[data-testid=award-points]"), "80");
        await FillFieldAsync(dialog.Locator("[data-testid=award-reason]"), "连续三个月义务巡河");
        await Expect(dialog.Locator("[data-testid=award-approval-note]")).ToContainTextAsync("需另一位组织者审批才会入账");
        await Expect(dialog.Locator("[data-testid=award-confirm]")).ToHaveTextAsync("提交审批");
        await ShotAsync(organizer, "award-needs-approval");
        await dialog.Locator("[data-testid=award-confirm]").ClickAsync();
        await Expect(organizer.Locator(".mud-snackbar")).ToContainTextAsync("等待另一位组织者审批");
        await Expect(organizer.Locator("[data-testid=points-balance]")).ToHaveTextAsync("0");

        // The requester sees the request but cannot decide it.
        await GoAsync(organizer, "/points/awards");
        var own = organizer.Locator("[data-testid=awards-table] tbody tr", new() { HasText = "连续三个月义务巡河" });
        await Expect(own).ToContainTextAsync("王志刚");
        await Expect(own.Locator("[data-testid=award-own]")).ToBeVisibleAsync();
        await Expect(own.Locator("[data-testid=award-approve]")).ToHaveCountAsync(0);

        // A second manager (the city's Admin) approves on a phone.
        var admin = await OpenAsync(phone: true);
        await SignInAsync(admin, Demo.Admin);
        await GoAsync(admin, "/points/awards");
        var pending = admin.Locator("[data-testid=awards-table] tbody tr", new() { HasText = "连续三个月义务巡河" });
        await Expect(pending).ToContainTextAsync("李秀英");
        Assert.True(await ScrollWidthAsync(admin) <= Phone.Width, "the approvals page fits the phone's width");
        await ShotAsync(admin, "approvals-phone");
        await pending.Locator("[data-testid=award-approve]").ClickAsync();
        await Expect(admin.Locator(".mud-snackbar")).ToContainTextAsync("已批准");
        await Expect(pending).ToHaveCountAsync(0);

        await GoAsync(organizer, volunteerPage);
        await Expect(organizer.Locator("[data-testid=points-balance]")).ToHaveTextAsync("80");
        var line = organizer.Locator("[data-testid=points-history] tbody tr").First;
        await Expect(line).ToContainTextAsync("连续三个月义务巡河");
        await Expect(line).ToContainTextAsync("王建国");
        await ShotAsync(organizer, "approved-desktop");

        // Taken back with a reason: a new entry, the original stays and shows as reversed.
        await line.Locator("[data-testid=reverse-points]").ClickAsync();
        var reverse = organizer.Locator(".mud-dialog");
        await Expect(reverse.Locator("[data-testid=reason-message]")).ToContainTextAsync("+80");
        await Expect(reverse.Locator("[data-testid=reason-confirm]")).ToBeDisabledAsync();
        await FillFieldAsync(reverse.Locator("[data-testid=reason-input]"), "与另一项奖励重复");
        await ShotAsync(organizer, "reverse-dialog");
        await reverse.Locator("[data-testid=reason-confirm]").ClickAsync();
        await Expect(organizer.Locator(".mud-snackbar")).ToContainTextAsync("积分已撤销");
        await Expect(organizer.Locator("[data-testid=points-balance]")).ToHaveTextAsync("0");
        var history = organizer.Locator("[data-testid=points-history] tbody tr");
        await Expect(history).ToHaveCountAsync(2);
        await Expect(history.First.Locator("[data-testid=points-delta]")).ToHaveTextAsync("\u221280");
        await Expect(history.First).ToContainTextAsync("与另一项奖励重复");
        await Expect(history.Nth(1)).ToContainTextAsync("已撤销");
        await Expect(organizer.Locator("[data-testid=reverse-points]")).ToHaveCountAsync(0);
        await ShotAsync(organizer, "reversed-desktop");
        AssertNoProblems();
    }
}
