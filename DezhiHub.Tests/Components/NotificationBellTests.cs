using System.Security.Claims;
using AngleSharp.Dom;
using Bunit;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Notifications;
using DezhiHub.Web.Platform.Identity;
using MudBlazor;

namespace DezhiHub.Tests.Components;

/// <summary>The bell on the real <see cref="NotificationService"/> and <see cref="DezhiHub.Web.Platform.Live.LiveChanges"/>, signed in as a demo resident.</summary>
public sealed class NotificationBellTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private ComponentHost _host = default!;
    private IRenderedComponent<MudPopoverProvider> _popovers = default!;
    private ClaimsPrincipal _resident = default!;

    public async Task InitializeAsync()
    {
        _host = await ComponentHost.CreateWithCityAsync();
        _popovers = _host.Bunit.Render<MudPopoverProvider>();
        _resident = _host.City.Resident.Principal;
        _host.SignIn(_resident);
        await using var db = _host.Features.NewDb();
        _host.Features.Get<NotificationService>().Add(db, _host.City.Resident.Id, "Notify.Welcome", [_host.City.Resident.Name], "/account/profile");
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public void ShowsTheUnreadCount_GivenTheWelcomeNotification()
    {
        using var culture = CultureScope.Use("zh-CN");

        var bell = _host.Bunit.Render<NotificationBell>();

        bell.WaitForAssertion(() => Assert.Equal("1", Badge(bell)), Wait);
    }

    [Fact]
    public async Task Badge_UpdatesLive_WhenANotificationForThisUserIsSaved()
    {
        using var culture = CultureScope.Use("zh-CN");
        var bell = _host.Bunit.Render<NotificationBell>();
        bell.WaitForAssertion(() => Assert.Equal("1", Badge(bell)), Wait);
        var admin = _host.City.Admin.Principal;

        // Someone else's notification is not counted; this user's own one is, without a hand-made re-render.
        await NotifyAsync(admin.RequiredUserId());
        await NotifyAsync(_resident.RequiredUserId());

        bell.WaitForAssertion(() => Assert.Equal("2", Badge(bell)), Wait);
    }

    [Fact]
    public void Opening_ListsTheWelcomeMessageInTheReadersLanguage()
    {
        using var culture = CultureScope.Use("en-US");
        var bell = _host.Bunit.Render<NotificationBell>();
        bell.WaitForAssertion(() => Assert.Equal("1", Badge(bell)), Wait);

        BellButton(bell).Click();

        _popovers.WaitForAssertion(() => Assert.Contains(
            $"Welcome to DezhiHub, {_host.City.Resident.Name}! Complete your profile and choose your community.", _popovers.Markup), Wait);
    }

    [Fact]
    public async Task MarkAllRead_ClearsTheBadge_AndIsSaved()
    {
        using var culture = CultureScope.Use("zh-CN");
        var bell = _host.Bunit.Render<NotificationBell>();
        bell.WaitForAssertion(() => Assert.Equal("1", Badge(bell)), Wait);

        BellButton(bell).Click();
        _popovers.WaitForElement("[data-testid=mark-all-read]", Wait).Click();

        bell.WaitForAssertion(() => Assert.Null(Badge(bell)), Wait);
        Assert.Equal(0, await _host.Features.Scoped<NotificationService>().CountUnreadAsync(_resident));
    }

    private async Task NotifyAsync(int userId)
    {
        await using var db = _host.Features.NewDb();
        _host.Features.Scoped<NotificationService>().Add(db, userId, "Notify.Welcome", ["测试"]);
        await db.SaveChangesAsync();
    }

    /// <summary>The number on the bell, or null when no badge shows.</summary>
    private static string? Badge(IRenderedComponent<NotificationBell> bell) =>
        bell.FindAll(".mud-badge-root [role=status]").SingleOrDefault()?.TextContent.Trim();

    private static IElement BellButton(IRenderedComponent<NotificationBell> bell) => bell.Find(".mud-menu-activator button");
}
