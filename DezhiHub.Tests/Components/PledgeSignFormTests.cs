using Bunit;
using DezhiHub.Domain.Weddings;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Weddings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace DezhiHub.Tests.Components;

/// <summary>
/// The pledge form on the real services: it cannot be signed until every item is promised and the couple is named,
/// it says what is missing, and a refusal from the service shows its message and saves nothing.
/// </summary>
public sealed class PledgeSignFormTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private ComponentHost _host = default!;
    private IReadOnlyList<PledgeItemView> _items = [];

    public async Task InitializeAsync()
    {
        _host = await ComponentHost.CreateWithCityAsync();
        _host.SignIn(_host.City.Volunteer.Principal);
        _host.Bunit.Render<MudPopoverProvider>();
        await using (var db = _host.Features.NewDb())
        {
            db.PledgeItems.AddRange(PledgeItem.Create("不索要高价彩礼", 1), PledgeItem.Create("婚宴简约适度", 2), PledgeItem.Create("不搞低俗婚闹", 3));
            await db.SaveChangesAsync();
        }

        _items = await _host.Features.Scoped<PledgeService>().ItemsAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>Today by the app's (fake) clock, in the deployment's zone.</summary>
    private DateTime Today => _host.Features.Get<DezhiHub.Web.Platform.Localization.DisplayTime>().LocalNow.Date;

    [Fact]
    public async Task TheButtonWaitsForEveryPromiseAndTheCouple_SaysWhatIsMissing_ThenSigns()
    {
        using var culture = CultureScope.Use("zh-CN");
        int? signed = null;
        var form = Render(id => signed = id);
        var sign = () => form.Find("[data-testid=pledge-sign]");

        Assert.True(sign().HasAttribute("disabled"));
        Assert.Equal(_items.Select(i => i.Text), form.FindAll("[data-testid=pledge-item] .pl-text").Select(e => e.TextContent));
        Assert.Contains($"还有 {_items.Count} 项未勾选", form.Find("[data-testid=pledge-missing]").TextContent);

        // Everything but the last promise.
        Fill(form, _host.City.Resident.Name, TestCity.ResidentPhone, Today.AddDays(30));
        var boxes = form.FindAll("[data-testid=pledge-item] input[type=checkbox]");
        Assert.Equal(_items.Count, boxes.Count);
        for (var i = 0; i < _items.Count - 1; i++)
        {
            form.FindAll("[data-testid=pledge-item] input[type=checkbox]")[i].Change(true);
        }

        form.WaitForAssertion(() => Assert.Contains("还有 1 项未勾选", form.Find("[data-testid=pledge-missing]").TextContent), Wait);
        Assert.True(sign().HasAttribute("disabled"));
        Assert.Contains($"已承诺 {_items.Count - 1}/{_items.Count} 项", form.Find("[data-testid=pledge-progress]").TextContent);

        // Taking one back counts again; promising all lets the couple sign.
        form.FindAll("[data-testid=pledge-item] input[type=checkbox]")[0].Change(false);
        form.WaitForAssertion(() => Assert.Contains("还有 2 项未勾选", form.Find("[data-testid=pledge-missing]").TextContent), Wait);
        form.FindAll("[data-testid=pledge-item] input[type=checkbox]")[0].Change(true);
        form.FindAll("[data-testid=pledge-item] input[type=checkbox]")[^1].Change(true);
        form.WaitForAssertion(() => Assert.False(sign().HasAttribute("disabled")), Wait);
        Assert.Empty(form.FindAll("[data-testid=pledge-missing]"));

        sign().Click();

        form.WaitForAssertion(() => Assert.NotNull(signed), Wait);
        await using var db = _host.Features.NewDb();
        var pledge = await db.WeddingPledges.AsNoTracking().SingleAsync();
        Assert.Equal(signed, pledge.Id);
        Assert.Equal(_host.City.Resident.Name, pledge.PartnerName);
        Assert.NotNull(pledge.PartnerUserId);
        Assert.Contains(_host.Text("Pledge.Signed"), string.Join(" ", Snackbars()));
    }

    [Fact]
    public async Task AMissingFieldKeepsTheButtonOff_AndABadMobileIsRefusedWithItsMessage()
    {
        using var culture = CultureScope.Use("zh-CN");
        var signed = false;
        var form = Render(_ => signed = true);
        foreach (var _ in _items)
        {
            // Re-found each time: every change renders the list anew.
            var next = form.FindAll("[data-testid=pledge-item] input[type=checkbox]").First(b => !b.HasAttribute("checked"));
            next.Change(true);
        }

        form.WaitForAssertion(() => Assert.Contains(_host.Text("Pledge.MissingFields"), form.Find("[data-testid=pledge-missing]").TextContent), Wait);
        Assert.True(form.Find("[data-testid=pledge-sign]").HasAttribute("disabled"));

        Fill(form, _host.City.Resident.Name, "1380000", Today.AddDays(30));
        form.WaitForAssertion(() => Assert.False(form.Find("[data-testid=pledge-sign]").HasAttribute("disabled")), Wait);
        form.Find("[data-testid=pledge-sign]").Click();

        form.WaitForAssertion(() => Assert.Contains(_host.Text("Pledge.MobileInvalid"), string.Join(" ", Snackbars())), Wait);
        Assert.False(signed);
        await using var db = _host.Features.NewDb();
        Assert.Equal(0, await db.WeddingPledges.CountAsync());
    }

    [Fact]
    public void InEnglish_TheFormSpeaksEnglish()
    {
        using var culture = CultureScope.Use("en-US");
        var form = Render(_ => { });

        Assert.Contains("I promise", form.Find("[data-testid=pledge-item]").TextContent);
        Assert.Contains("Sign the pledge", form.Find("[data-testid=pledge-sign]").TextContent);
        Assert.Contains($"{_items.Count} items are still without", form.Find("[data-testid=pledge-missing]").TextContent);
    }

    private IRenderedComponent<PledgeSignForm> Render(Action<int> onSigned) =>
        _host.Bunit.Render<PledgeSignForm>(p => p
            .Add(f => f.Items, _items)
            .Add(f => f.OnSigned, onSigned));

    private static void Fill(IRenderedComponent<PledgeSignForm> form, string name, string mobile, DateTime date)
    {
        form.Find("input[data-testid=pledge-partner-name]").Input(name);
        form.Find("input[data-testid=pledge-partner-mobile]").Input(mobile);
        form.Find("input[data-testid=pledge-date]").Change(date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
    }

    private List<string> Snackbars() => [.. _host.Bunit.Services.GetRequiredService<ISnackbar>().ShownSnackbars.Select(s => s.Message ?? "")];
}
