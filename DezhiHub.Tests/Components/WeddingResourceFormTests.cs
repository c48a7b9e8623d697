using AngleSharp.Dom;
using Bunit;
using DezhiHub.Domain.Weddings;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Weddings;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace DezhiHub.Tests.Components;

/// <summary>
/// The wedding service form on the real services and demo city: each kind shows its own fields, the domain's rules show
/// their localized message under the field they concern with nothing saved, the slot preview follows the schedule as
/// it is typed, and a valid form creates the service.
/// </summary>
public sealed class WeddingResourceFormTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private ComponentHost _host = default!;
    private IReadOnlyList<ProviderOption> _partners = [];
    private int _hongxing;

    public async Task InitializeAsync()
    {
        _host = await ComponentHost.CreateWithCityAsync();
        var organizer = _host.City.Organizer.Principal;
        _host.SignIn(organizer);
        _host.Bunit.Render<MudPopoverProvider>();
        _partners = await _host.Features.Scoped<WeddingCatalog>().PartnersAsync(organizer);
        _hongxing = _host.City.Community.Id;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<WeddingServiceKind, string[], string[]> KindFields => new()
    {
        { WeddingServiceKind.CeremonyHall, ["Seats", "Hours", "SlotMinutes", "BufferMinutes"], ["PriceCapYuan", "Counsellor", "ProviderUserId", "Capacity", "Sessions"] },
        { WeddingServiceKind.FolkSteward, ["ProviderUserId", "Hours", "SlotMinutes"], ["Seats", "PriceCapYuan", "Counsellor", "Capacity", "Sessions"] },
        { WeddingServiceKind.RegistrationAppointment, ["Capacity", "Hours", "SlotMinutes"], ["Seats", "PriceCapYuan", "Counsellor", "ProviderUserId", "Sessions"] },
        { WeddingServiceKind.AlliancePackage, ["PriceCapYuan", "ProviderUserId", "Capacity", "Hours"], ["Seats", "Counsellor", "Sessions"] },
        { WeddingServiceKind.CounselingSession, ["Counsellor", "Capacity", "Sessions"], ["Seats", "PriceCapYuan", "ProviderUserId", "Hours", "SlotMinutes"] },
    };

    [Theory]
    [MemberData(nameof(KindFields))]
    public void EachKind_ShowsItsOwnFields_InBothLanguages_WithNoKeyShowingThrough(WeddingServiceKind kind, string[] shown, string[] hidden)
    {
        foreach (var language in new[] { "zh-CN", "en-US" })
        {
            using var culture = CultureScope.Use(language);
            var form = Render(WeddingResourceFormModel.New(kind, _hongxing));

            Assert.All(shown, f => Assert.Single(form.FindAll($"[data-testid=field-{f}]")));
            Assert.All(hidden, f => Assert.Empty(form.FindAll($"[data-testid=field-{f}]")));
            Assert.DoesNotContain("WeddingCatalog.", form.Markup);
            Assert.DoesNotContain("Wedding.Kind.", form.Markup);
        }
    }

    [Fact]
    public async Task AnOpenDayClosingBeforeItOpens_IsMarked_AndTheMessageStandsUnderTheHours_AndNothingIsSaved()
    {
        using var culture = CultureScope.Use("zh-CN");
        var model = WeddingResourceFormModel.New(WeddingServiceKind.CeremonyHall, _hongxing);
        model.Name = "红星婚礼堂";
        model.Days[2].From = new TimeOnly(18, 0);
        model.Days[2].To = new TimeOnly(8, 0);
        var before = await ResourceCountAsync();
        var saved = false;
        var form = Render(model, _ => saved = true);

        form.Find("[data-testid=resource-save]").Click();

        form.WaitForAssertion(() => Assert.Contains(_host.Text("Wedding.HoursInvalid"), Field(form, "Hours").TextContent), Wait);
        var rows = form.FindAll("[data-testid=hours-row]");
        Assert.Equal([false, false, true, false, false, false, false], rows.Select(r => r.ClassList.Contains("dz-hours-invalid")));
        Assert.Equal("Wednesday", rows[2].GetAttribute("data-day"));
        Assert.Contains("有 1 处需要修改", form.Find("[data-testid=form-has-errors]").TextContent);
        Assert.NotNull(form.Find("[data-testid=preview-invalid]"));
        Assert.False(saved);
        Assert.Equal(before, await ResourceCountAsync());
    }

    [Fact]
    public async Task APackageWithoutPriceCapOrPartner_ShowsBothMessages_InEnglish()
    {
        using var culture = CultureScope.Use("en-US");
        var model = WeddingResourceFormModel.New(WeddingServiceKind.AlliancePackage, _hongxing);
        model.Name = "Simple wedding package";
        var before = await ResourceCountAsync();
        var form = Render(model);

        form.Find("[data-testid=resource-save]").Click();

        form.WaitForAssertion(() => Assert.Contains("Please enter a price cap", Field(form, "PriceCapYuan").TextContent), Wait);
        Assert.Contains("An alliance package needs the partner enterprise that offers it.", Field(form, "ProviderUserId").TextContent);
        Assert.Equal(before, await ResourceCountAsync());

        // Fixing the price cap takes its message away at once; the partner's stays.
        form.Find("input[data-testid=price-cap-input]").Input("3000");
        form.WaitForAssertion(() => Assert.DoesNotContain("price cap", Field(form, "PriceCapYuan").TextContent), Wait);
        Assert.Contains("partner enterprise", Field(form, "ProviderUserId").TextContent);
    }

    [Fact]
    public void CounsellingSessions_ThatDoNotParse_AreRefusedUnderTheSessions()
    {
        using var culture = CultureScope.Use("zh-CN");
        var model = WeddingResourceFormModel.New(WeddingServiceKind.CounselingSession, _hongxing);
        model.Name = "婚前辅导课";
        model.Sessions = "2026-12-12 09:00-11:30\n下周六上午";
        var form = Render(model);

        form.Find("[data-testid=resource-save]").Click();

        form.WaitForAssertion(() => Assert.Contains(_host.Text("Wedding.SessionsInvalid"), Field(form, "Sessions").TextContent), Wait);

        form.Find("textarea[data-testid=sessions-input]").Input("2026-12-12 09:00-11:30\n2026-12-19 09:00-11:30");
        form.WaitForAssertion(() => Assert.Empty(form.FindAll("[data-testid=form-has-errors]")), Wait);
    }

    [Fact]
    public void ThePreview_ShowsTheSlotsOfASampleDay_AndFollowsTheSlotLengthAsItIsTyped()
    {
        using var culture = CultureScope.Use("zh-CN");
        // Every day 08:00–18:00, 4 h slots with an hour between.
        var form = Render(WeddingResourceFormModel.New(WeddingServiceKind.CeremonyHall, _hongxing));

        Assert.Equal(["08:00–12:00", "13:00–17:00"], PreviewSlots(form));
        Assert.Contains(_host.Text("WeddingCatalog.PreviewCountExclusive", 2), form.Find("[data-testid=preview-summary]").TextContent);

        form.Find("input[data-testid=slot-minutes-input]").Input("120");

        form.WaitForAssertion(() => Assert.Equal(["08:00–10:00", "11:00–13:00", "14:00–16:00"], PreviewSlots(form)), Wait);

        form.Find("input[data-testid=slot-minutes-input]").Input("45");
        form.WaitForAssertion(() => Assert.NotNull(form.Find("[data-testid=preview-invalid]")), Wait);
    }

    [Fact]
    public void ThePreview_OfAClosedDay_SaysSo_AndOffersTheNextOpenDay()
    {
        using var culture = CultureScope.Use("zh-CN");
        var model = WeddingResourceFormModel.New(WeddingServiceKind.RegistrationAppointment, _hongxing);
        var form = Render(model);
        var first = form.Find("input[data-testid=preview-date]").GetAttribute("value");

        // Step to the weekend: Monday–Friday only. Each step waits for its render (under load a click's render can
        // land after the next check, and unwaited clicks would step past the weekend).
        for (var i = 0; i < 7 && form.FindAll("[data-testid=preview-none]").Count == 0; i++)
        {
            var shown = form.Find("input[data-testid=preview-date]").GetAttribute("value");
            form.Find("[data-testid=preview-next]").Click();
            form.WaitForAssertion(() => Assert.NotEqual(shown, form.Find("input[data-testid=preview-date]").GetAttribute("value")), Wait);
        }

        Assert.Contains(_host.Text("WeddingCatalog.PreviewClosed"), form.Find("[data-testid=preview-none]").TextContent);
        form.Find("[data-testid=preview-jump]").Click();

        form.WaitForAssertion(() => Assert.Equal(17, PreviewSlots(form).Count), Wait);
        Assert.Contains("4 个名额", form.Find("[data-testid=preview-slot]").TextContent);
        Assert.NotEqual(first, form.Find("input[data-testid=preview-date]").GetAttribute("value"));
    }

    [Fact]
    public void AStewardIsFoundByTheirMobileNumber_AndAnUnknownNumberSaysSo()
    {
        using var culture = CultureScope.Use("zh-CN");
        var form = Render(WeddingResourceFormModel.New(WeddingServiceKind.FolkSteward, _hongxing));

        form.Find("input[data-testid=steward-mobile]").Input("137 0000 0000");
        form.Find("[data-testid=steward-lookup]").Click();
        form.WaitForAssertion(() => Assert.Contains(_host.Text("WeddingCatalog.NoAccount"), Field(form, "ProviderUserId").TextContent), Wait);

        form.Find("input[data-testid=steward-mobile]").Input(TestCity.ResidentPhone);
        form.Find("[data-testid=steward-lookup]").Click();

        form.WaitForAssertion(() => Assert.Contains($"{_host.City.Resident.Name} · 137****0006", form.Find("[data-testid=steward-chosen]").TextContent), Wait);
    }

    [Fact]
    public async Task AValidForm_CreatesTheService_WithTheHoursAndBlackoutDatesAsShown()
    {
        using var culture = CultureScope.Use("zh-CN");
        var model = WeddingResourceFormModel.New(WeddingServiceKind.CeremonyHall, _hongxing);
        model.Name = "红星文明婚礼堂";
        model.Location = "红星社区党群服务中心一楼";
        model.Days[6].Open = false;
        model.BlackoutDates.Add(new DateOnly(2027, 1, 1));
        int? savedId = null;
        var form = Render(model, id => savedId = id);

        form.Find("[data-testid=resource-save]").Click();

        form.WaitForAssertion(() => Assert.NotNull(savedId), Wait);
        await using var db = _host.Features.NewDb();
        var stored = await db.WeddingResources.AsNoTracking().SingleAsync(r => r.Id == savedId);
        Assert.Equal(("红星文明婚礼堂", WeddingServiceKind.CeremonyHall, _hongxing), (stored.Name, stored.Kind, stored.OrgNodeId));
        Assert.Equal("08:00-18:00,08:00-18:00,08:00-18:00,08:00-18:00,08:00-18:00,08:00-18:00,", stored.Hours.ToString());
        Assert.Equal((240, 60), (stored.SlotMinutes, stored.BufferMinutes));
        Assert.Equal([new DateOnly(2027, 1, 1)], stored.BlackoutDates);
        Assert.Equal(BookingRules.DefaultFor(WeddingServiceKind.CeremonyHall), stored.Rules);
    }

    private IRenderedComponent<WeddingResourceForm> Render(WeddingResourceFormModel model, Action<int>? onSaved = null) =>
        _host.Bunit.Render<WeddingResourceForm>(p => p
            .Add(c => c.Model, model)
            .Add(c => c.Partners, _partners)
            .Add(c => c.OnSaved, id => onSaved?.Invoke(id)));

    private static IElement Field(IRenderedComponent<WeddingResourceForm> form, string name) => form.Find($"[data-testid=field-{name}]");

    private static List<string> PreviewSlots(IRenderedComponent<WeddingResourceForm> form) =>
        [.. form.FindAll("[data-testid=preview-slot-time]").Select(s => s.TextContent.Trim())];

    private async Task<int> ResourceCountAsync()
    {
        await using var db = _host.Features.NewDb();
        return await db.WeddingResources.CountAsync();
    }
}
