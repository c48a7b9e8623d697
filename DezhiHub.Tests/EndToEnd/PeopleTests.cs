using System.Text.RegularExpressions;
using DezhiHub.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace DezhiHub.Tests.EndToEnd;

/// <summary>An admin finds a resident, grants a role in the dialog, the resident is told, and the audit log says so in words.</summary>
/// <remarks>Changes the shared demo data: 赵磊 (13800000006) ends up a Volunteer.</remarks>
[Collection(WebCollection.Name)]
public sealed class PeopleTests(AppFactory app, Browser browser, ITestOutputHelper output)
    : EndToEndTest(app, browser, output), IClassFixture<Browser>
{
    [SkippableFact]
    public async Task Admin_FindsAResidentByName_GrantsVolunteer_AndTheResidentSeesItInTheBell()
    {
        var admin = await OpenAsync();
        await SignInAsync(admin, Demo.Admin);
        await GoAsync(admin, "/");
        await Expect(admin.Locator("[data-testid=home-managed]")).ToBeVisibleAsync();
        await ShotAsync(admin, "home", "home-desktop");

        await admin.Locator(".mud-drawer").GetByRole(AriaRole.Link, new() { Name = "人员管理", Exact = true }).ClickAsync();

        await Expect(admin).ToHaveURLAsync(new Regex("/admin/users$"));
        await Expect(admin.Locator("h1")).ToHaveTextAsync("人员管理");
        var rows = admin.Locator("[data-testid=users-table] tbody tr");
        await Expect(rows.First).ToContainTextAsync("王建国");
        Assert.True(await rows.CountAsync() > 10, "the admin sees the whole demo city");
        await ShotAsync(admin, "users", "users-desktop");

        await admin.Locator("[data-testid=users-search]").FillAsync("赵磊");

        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows).ToContainTextAsync("赵磊");
        await Expect(rows).ToContainTextAsync(Demo.Resident);
        await Expect(rows).ToContainTextAsync("红星社区");
        await ShotAsync(admin, "users-search");

        await rows.ClickAsync();
        var dialog = admin.Locator(".mud-dialog");
        await Expect(dialog).ToContainTextAsync("编辑人员");
        await Expect(dialog).ToContainTextAsync("赵磊");
        await dialog.Locator("[data-testid=role-Volunteer]").CheckAsync();
        await ShotAsync(admin, "edit-dialog");
        await dialog.Locator("[data-testid=user-save]").ClickAsync();

        await Expect(admin.Locator(".mud-snackbar")).ToContainTextAsync("已保存。");
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(rows).ToContainTextAsync("志愿者");
        await ShotAsync(admin, "saved");

        var resident = await OpenAsync();
        await SignInAsync(resident, Demo.Resident);
        await GoAsync(resident, "/");
        var bell = resident.Locator("[data-testid=notification-bell]");
        await Expect(bell.Locator(".mud-badge")).ToBeVisibleAsync();
        await bell.Locator("button").First.ClickAsync();
        await Expect(bell.Locator(".mud-menu-activator")).ToHaveAttributeAsync("aria-expanded", "true");

        var message = resident.Locator(".mud-popover-open").GetByText("您的角色已更新为：志愿者。");
        await Expect(message).ToBeVisibleAsync();
        await ShotAsync(resident, "resident-bell");
        await resident.Locator("[data-testid=mark-all-read]").ClickAsync();
        await Expect(bell.Locator(".mud-badge")).ToBeHiddenAsync();

        // The audit log tells the change in words: who, what, roles by name (desktop and phone).
        foreach (var page in new[] { admin, await OpenAsync(phone: true) })
        {
            if (page != admin)
            {
                await SignInAsync(page, Demo.Admin);
            }

            await GoAsync(page, "/admin/audit");
            var change = page.Locator("[data-testid=audit-change]").Filter(new() { HasText = "志愿者" }).First;
            await Expect(change).ToContainTextAsync("角色: 居民 → 志愿者");
            await Expect(page.Locator("[data-testid=audit-table]")).ToContainTextAsync("更新了人员的角色或组织");
            await ShotAsync(page, "audit");
        }

        AssertNoProblems();
    }
}
