using System.Security.Claims;
using Bunit;
using DezhiHub.Domain.Activities;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Activities;
using DezhiHub.Web.Platform.Localization;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace DezhiHub.Tests.Components;

/// <summary>The activity detail page on the real services: what it shows, and signing up from it.</summary>
public sealed class ActivityDetailPageTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private ComponentHost _host = default!;
    private ClaimsPrincipal _organizer = default!;

    public async Task InitializeAsync()
    {
        _host = await ComponentHost.CreateWithCityAsync();
        _host.Bunit.Render<MudPopoverProvider>();
        _organizer = _host.City.Organizer.Principal;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task TheDescription_IsPlainText_WithItsLineBreaks()
    {
        using var culture = CultureScope.Use("zh-CN");
        var id = await PublishedAsync(description: "<b>不是粗体</b><script>alert(1)</script>\n第二行");

        var page = _host.Bunit.Render<ActivityDetailPage>(p => p.Add(x => x.Id, id));

        page.WaitForAssertion(() => Assert.Equal("<b>不是粗体</b><script>alert(1)</script>\n第二行", page.Find("[data-testid=activity-description]").TextContent), Wait);
        Assert.Empty(page.FindAll("[data-testid=activity-description] b, [data-testid=activity-description] script"));
    }

    [Fact]
    public async Task AVisitor_IsOfferedToSignInAndComeBack()
    {
        using var culture = CultureScope.Use("zh-CN");
        var id = await PublishedAsync();

        var page = _host.Bunit.Render<ActivityDetailPage>(p => p.Add(x => x.Id, id));

        page.WaitForAssertion(() => Assert.Equal(
            $"/account/login?returnUrl=%2Factivities%2F{id}",
            page.Find("[data-testid=sign-in-to-sign-up]").GetAttribute("href")), Wait);
        Assert.Empty(page.FindAll("[data-testid=sign-up]"));
        Assert.Empty(page.FindAll("[data-testid=manage-panel]"));
    }

    [Fact]
    public async Task AResident_SigningUpForAFullActivity_IsToldTheirPlaceOnTheWaitlist()
    {
        using var culture = CultureScope.Use("zh-CN");
        var id = await PublishedAsync(capacity: 1);
        await _host.Features.Scoped<SignUpService>().SignUpAsync(_host.City.Volunteer.Principal, id);
        _host.SignIn(_host.City.Resident.Principal);
        var page = _host.Bunit.Render<ActivityDetailPage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.Contains(_host.Text("Activities.JoinWaitlist"), page.Find("[data-testid=sign-up]").TextContent), Wait);

        page.Find("[data-testid=sign-up]").Click();

        page.WaitForAssertion(() => Assert.Contains(_host.Text("Activities.MyWaitlist", 1), page.Find("[data-testid=my-status]").TextContent), Wait);
        Assert.Contains("候补 1 人", page.Find("[data-testid=activity-seats]").TextContent);
        Assert.Single(page.FindAll("[data-testid=cancel-sign-up]"));
    }

    [Fact]
    public async Task TheHostsOrganizer_SeesADraftWithPublishAndEdit()
    {
        using var culture = CultureScope.Use("zh-CN");
        var id = await CreateAsync();
        _host.SignIn(_organizer);

        var page = _host.Bunit.Render<ActivityDetailPage>(p => p.Add(x => x.Id, id));

        page.WaitForAssertion(() => Assert.Equal("草稿", page.Find("[data-testid=activity-state]").TextContent.Trim()), Wait);
        Assert.Single(page.FindAll("[data-testid=publish]"));
        Assert.Equal($"/activities/{id}/edit", page.Find("[data-testid=edit]").GetAttribute("href"));
        Assert.Empty(page.FindAll("[data-testid=ics-link]"));
    }

    [Fact]
    public async Task ADraft_IsNotFound_ForAnyoneElse()
    {
        using var culture = CultureScope.Use("zh-CN");
        var id = await CreateAsync();
        _host.SignIn(_host.City.OtherOrganizer.Principal);

        var notFound = 0;
        _host.Bunit.Services.GetRequiredService<NavigationManager>().OnNotFound += (_, _) => notFound++;

        var page = _host.Bunit.Render<ActivityDetailPage>(p => p.Add(x => x.Id, id));

        // The router shows the app's not-found page (and a prerender answers 404); the page's own line is the fallback.
        page.WaitForAssertion(() => Assert.Contains(_host.Text("Activity.NotFound"), page.Find("[data-testid=activity-not-found]").TextContent), Wait);
        Assert.True(notFound > 0);
    }

    private async Task<int> CreateAsync(string description = "", int? capacity = null)
    {
        var time = _host.Features.Get<DisplayTime>();
        // Early in the morning: no demo activity (and so no demo sign-up) is then.
        var start = time.ToUtc(time.LocalNow.Date.AddDays(3).AddHours(6));
        var themes = await _host.Features.Scoped<ThemeService>().ListAsync();
        var ids = await _host.Features.Scoped<ActivityService>().CreateAsync(_organizer, new ActivityDetails
        {
            Title = "家风故事分享会",
            Description = description,
            Entry = EightEntry.Families,
            ThemeIds = [themes[0].Id],
            OrgNodeId = _host.City.Community.Id,
            Place = "红星社区书屋",
            StartUtc = start,
            EndUtc = start.AddHours(2),
            Capacity = capacity,
        });
        return ids[0];
    }

    private async Task<int> PublishedAsync(string description = "", int? capacity = null)
    {
        var id = await CreateAsync(description, capacity);
        await _host.Features.Scoped<ActivityService>().PublishAsync(_organizer, id);
        return id;
    }
}
