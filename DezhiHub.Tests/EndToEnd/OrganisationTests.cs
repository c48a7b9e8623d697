using System.Text.RegularExpressions;
using DezhiHub.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace DezhiHub.Tests.EndToEnd;

/// <summary>An organizer works on their own community, and only there.</summary>
/// <remarks>Changes the shared demo data: 红星社区 gets a fourth grid cell, 第四网格.</remarks>
[Collection(WebCollection.Name)]
public sealed class OrganisationTests(AppFactory app, Browser browser, ITestOutputHelper output)
    : EndToEndTest(app, browser, output), IClassFixture<Browser>
{
    [SkippableFact]
    public async Task Organizer_AddsAGridCellToTheirCommunity_ButIsDeniedAnotherCommunity()
    {
        var organizer = await OpenAsync();
        await SignInAsync(organizer, Demo.OrganizerHongxing);
        await GoAsync(organizer, "/admin/org");

        await Expect(organizer.Locator("[data-testid=org-current]")).ToHaveTextAsync("红星社区");
        var children = organizer.Locator("[data-testid=org-children] tbody tr");
        await Expect(children.First).ToContainTextAsync("第一网格");
        var before = await children.CountAsync();
        await ShotAsync(organizer, "org");

        await organizer.Locator("[data-testid=org-add]").ClickAsync();
        var dialog = organizer.Locator(".mud-dialog");
        await Expect(dialog).ToContainTextAsync("新增网格");
        await FillFieldAsync(dialog.Locator("[data-testid=org-name]"), "第四网格");
        await ShotAsync(organizer, "add-dialog");
        await dialog.Locator("[data-testid=org-name-save]").ClickAsync();

        await Expect(organizer.Locator(".mud-snackbar")).ToContainTextAsync("已新增。");
        await Expect(children).ToHaveCountAsync(before + 1);
        await Expect(organizer.Locator("[data-testid=org-children]")).ToContainTextAsync("第四网格");
        await ShotAsync(organizer, "added");

        // The admin's tree links to 和平社区; its address is no key for the organizer of 红星社区.
        var admin = await OpenAsync();
        await SignInAsync(admin, Demo.Admin);
        await GoAsync(admin, "/admin/org");
        foreach (var step in new[] { "城区", "东街街道" })
        {
            await admin.Locator("[data-testid=org-children]").GetByRole(AriaRole.Link, new() { Name = step, Exact = true }).ClickAsync();
            await Expect(admin.Locator("[data-testid=org-current]")).ToHaveTextAsync(step);
        }

        var heping = await admin.Locator("[data-testid=org-children]").GetByRole(AriaRole.Link, new() { Name = "和平社区", Exact = true }).GetAttributeAsync("href");
        Assert.Matches(new Regex(@"^/admin/org/\d+$"), heping);
        await ShotAsync(admin, "admin-street");

        await GoAsync(organizer, heping!);

        await Expect(organizer.Locator("[data-testid=access-denied]")).ToContainTextAsync("无权访问");
        await Expect(organizer.Locator("[data-testid=org-children]")).ToHaveCountAsync(0);
        await Expect(organizer.Locator("body")).Not.ToContainTextAsync("和平社区");
        await ShotAsync(organizer, "denied");
        AssertNoProblems();
    }
}
