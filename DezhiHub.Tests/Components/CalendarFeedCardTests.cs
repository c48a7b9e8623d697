using System.Security.Claims;
using Bunit;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Components.Shared;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Calendar;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform.Localization;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;
using MudBlazor.Services;
using MudBlazor;

namespace DezhiHub.Tests.Components;

/// <summary>The feed card on the real <see cref="CalendarFeedService"/>: the link is made on request, copied, and replaced after a confirmation.</summary>
public sealed class CalendarFeedCardTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private FeatureHost _features = default!;
    private AsyncServiceScope _scope;
    private BunitContext _bunit = default!;
    private ClaimsPrincipal _resident = default!;
    private IRenderedComponent<MudDialogProvider> _dialogs = default!;

    public async Task InitializeAsync()
    {
        // Like ComponentHost, plus the calendar service (registered by AddDezhiHubCalendar in the app, which the
        // feature host does not call); services must all be added before the renderer exists.
        _features = await FeatureHost.CreateAsync(demoData: false);
        var city = await TestCity.CreateAsync(_features);
        _scope = _features.Services.CreateAsyncScope();
        _bunit = new BunitContext();
        _bunit.JSInterop.Mode = JSRuntimeMode.Loose;
        _bunit.Services.AddMudServices();
        _bunit.Services.AddDezhiHubLocalization();
        _bunit.Services.AddScoped<UiFeedback>();
        _bunit.Services.AddScoped(_ => ActivatorUtilities.CreateInstance<CalendarFeedService>(_scope.ServiceProvider));
        _bunit.Services.AddFallbackServiceProvider(_scope.ServiceProvider);
        var auth = _bunit.AddAuthorization();
        _bunit.SetRendererInfo(new RendererInfo("Server", true));
        _resident = city.Resident.Principal;
        auth.SetAuthorized(_resident.Identity!.Name!);
        auth.SetClaims([.. _resident.Claims.Where(c => c.Type is not (ClaimTypes.Role or ClaimTypes.Name))]);
        _dialogs = _bunit.Render<MudDialogProvider>();
    }

    public async Task DisposeAsync()
    {
        await _bunit.DisposeAsync();
        await _scope.DisposeAsync();
        await _features.DisposeAsync();
    }

    [Fact]
    public async Task TheLink_IsMadeOnlyWhenAskedFor_AndIsAbsolute()
    {
        using var culture = CultureScope.Use("zh-CN");
        var card = _bunit.Render<CalendarFeedCard>();

        card.WaitForElement("[data-testid=calendar-feed-create]", Wait);
        Assert.Null(await Feeds().GetTokenAsync(_resident));
        card.Find("[data-testid=calendar-feed-create]").Click();

        card.WaitForAssertion(() => Assert.NotNull(Url(card)), Wait);
        var token = await Feeds().GetTokenAsync(_resident);
        Assert.Equal($"http://localhost/calendar/feed/{token}.ics", Url(card));
        Assert.Equal($"webcal://localhost/calendar/feed/{token}.ics", card.Find("[data-testid=calendar-feed-subscribe]").GetAttribute("href"));
        Assert.Contains("添加已订阅的日历", card.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEnglishReadersLink_AsksForEnglish()
    {
        var token = await Feeds().GetOrCreateTokenAsync(_resident);
        using var culture = CultureScope.Use("en-US");

        var card = _bunit.Render<CalendarFeedCard>();

        card.WaitForAssertion(() => Assert.Equal($"http://localhost/calendar/feed/{token}.ics?lang=en-US", Url(card)), Wait);
        Assert.Contains("Add Subscribed Calendar", card.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Copy_PutsTheLinkOnTheClipboard_OrSaysToCopyByHand()
    {
        using var culture = CultureScope.Use("zh-CN");
        var token = await Feeds().GetOrCreateTokenAsync(_resident);
        var clipboard = _bunit.JSInterop.SetupVoid("navigator.clipboard.writeText", $"http://localhost/calendar/feed/{token}.ics");
        clipboard.SetVoidResult();
        var card = _bunit.Render<CalendarFeedCard>();

        card.WaitForElement("[data-testid=calendar-feed-copy]", Wait).Click();
        card.WaitForAssertion(() => Assert.Contains(Snackbars(), m => m == "已复制订阅地址。"), Wait);

        // No clipboard API (plain http on a LAN address): a friendly hint instead of an error.
        _bunit.JSInterop.Mode = JSRuntimeMode.Strict;
        _bunit.JSInterop.SetupVoid("navigator.clipboard.writeText", _ => true).SetException(new JSException("navigator.clipboard is undefined"));
        card.Find("[data-testid=calendar-feed-copy]").Click();
        card.WaitForAssertion(() => Assert.Contains(Snackbars(), m => m == "无法自动复制，请选中地址后手动复制。"), Wait);
    }

    [Fact]
    public async Task Regenerate_AfterConfirming_ShowsANewLink_AndTheOldOneIsDead()
    {
        using var culture = CultureScope.Use("zh-CN");
        var old = await Feeds().GetOrCreateTokenAsync(_resident);
        var card = _bunit.Render<CalendarFeedCard>();
        card.WaitForAssertion(() => Assert.Contains(old, Url(card) ?? "", StringComparison.Ordinal), Wait);

        // Cancelled: nothing changes.
        card.Find("[data-testid=calendar-feed-regenerate]").Click();
        DialogButton("取消").Click();
        _dialogs.WaitForAssertion(() => Assert.Empty(_dialogs.FindAll(".mud-dialog")), Wait);
        Assert.Equal(_resident.RequiredUserId(), await Feeds().FindOwnerAsync(old));

        card.Find("[data-testid=calendar-feed-regenerate]").Click();
        DialogButton("重新生成").Click();

        card.WaitForAssertion(() => Assert.DoesNotContain(old, Url(card) ?? old, StringComparison.Ordinal), Wait);
        Assert.Null(await Feeds().FindOwnerAsync(old));
        Assert.Contains(await Feeds().GetTokenAsync(_resident) ?? "?", Url(card), StringComparison.Ordinal);
    }

    private CalendarFeedService Feeds() => ActivatorUtilities.CreateInstance<CalendarFeedService>(_features.Services);

    private static string? Url(IRenderedComponent<CalendarFeedCard> card) =>
        card.FindAll("#calendar-feed-url").SingleOrDefault()?.GetAttribute("value");

    private List<string?> Snackbars() =>
        [.. _bunit.Services.GetRequiredService<ISnackbar>().ShownSnackbars.Select(s => s.Message)];

    private AngleSharp.Dom.IElement DialogButton(string text)
    {
        _dialogs.WaitForElement(".mud-dialog", Wait);
        return _dialogs.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == text);
    }
}
