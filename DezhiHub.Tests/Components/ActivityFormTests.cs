using AngleSharp.Dom;
using Bunit;
using DezhiHub.Domain.Activities;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Activities;
using DezhiHub.Web.Platform.Localization;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace DezhiHub.Tests.Components;

/// <summary>
/// The activity form on the real services and demo city: the domain's rules show their localized message under the
/// field they concern, nothing is saved while one is broken, and a valid form creates a draft.
/// </summary>
public sealed class ActivityFormTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private ComponentHost _host = default!;
    private IReadOnlyList<ThemeView> _themes = [];
    private int _hongxing;

    public async Task InitializeAsync()
    {
        _host = await ComponentHost.CreateWithCityAsync();
        _host.SignIn(_host.City.Organizer.Principal);
        _host.Bunit.Render<MudPopoverProvider>();
        _themes = await _host.Features.Scoped<ThemeService>().ListAsync();
        _hongxing = _host.City.Community.Id;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task EndBeforeStart_ShowsTheMessageUnderTheEnd_AndSavesNothing()
    {
        using var culture = CultureScope.Use("zh-CN");
        var model = ValidModel();
        model.EndTime = model.StartTime - TimeSpan.FromHours(1);
        var before = await ActivityCountAsync();
        var saved = false;
        var form = Render(model, _ => saved = true);

        form.Find("[data-testid=activity-save]").Click();

        form.WaitForAssertion(() => Assert.Contains(_host.Text("Activity.EndBeforeStart"), Field(form, "End").TextContent), Wait);
        Assert.DoesNotContain(_host.Text("Activity.EndBeforeStart"), Field(form, "Start").TextContent);
        Assert.Contains("有 1 处需要修改", form.Find("[data-testid=form-has-errors]").TextContent);
        Assert.False(saved);
        Assert.Equal(before, await ActivityCountAsync());
    }

    [Fact]
    public void NoTheme_ShowsTheMessageUnderTheThemes()
    {
        using var culture = CultureScope.Use("zh-CN");
        var model = ValidModel();
        model.ThemeIds = [];
        var form = Render(model);

        form.Find("[data-testid=activity-save]").Click();

        form.WaitForAssertion(() => Assert.Contains(_host.Text("Activity.ThemeRequired"), Field(form, "ThemeIds").TextContent), Wait);
        Assert.Single(form.FindAll("[data-testid=form-has-errors]"));
    }

    [Fact]
    public void CapacityZero_ShowsTheMessageUnderTheCapacity_AndGoesAwayWhenFixed()
    {
        using var culture = CultureScope.Use("zh-CN");
        var model = ValidModel();
        model.Capacity = 0;
        var form = Render(model);

        form.Find("[data-testid=activity-save]").Click();
        form.WaitForAssertion(() => Assert.Contains(_host.Text("Activity.CapacityInvalid"), Field(form, "Capacity").TextContent), Wait);

        form.Find("input[data-testid=capacity]").Change("30");

        form.WaitForAssertion(() => Assert.DoesNotContain(_host.Text("Activity.CapacityInvalid"), Field(form, "Capacity").TextContent), Wait);
        Assert.Empty(form.FindAll("[data-testid=form-has-errors]"));
    }

    [Fact]
    public void SeveralBrokenRules_EachShowUnderItsOwnField_InEnglish()
    {
        using var culture = CultureScope.Use("en-US");
        var model = ValidModel();
        model.Title = "  ";
        model.Entry = null;
        model.Place = "";
        model.StartTime = null;
        var form = Render(model);

        form.Find("[data-testid=activity-save]").Click();

        form.WaitForAssertion(() => Assert.Contains("Enter a title.", Field(form, "Title").TextContent), Wait);
        Assert.Contains("Choose one of the eight entries.", Field(form, "Entry").TextContent);
        Assert.Contains("Enter the place.", Field(form, "Place").TextContent);
        Assert.Contains("Enter the start date and time.", Field(form, "Start").TextContent);
        // Without a start there is no time rule to break at the end.
        Assert.DoesNotContain("The end must be after the start.", Field(form, "End").TextContent);
    }

    [Fact]
    public void AStartInThePast_IsRefusedUnderTheStart()
    {
        using var culture = CultureScope.Use("zh-CN");
        var model = ValidModel();
        var yesterday = _host.Features.Get<DisplayTime>().LocalNow.Date.AddDays(-1);
        model.StartDate = model.EndDate = yesterday;
        var form = Render(model);

        form.Find("[data-testid=activity-save]").Click();

        form.WaitForAssertion(() => Assert.Contains(_host.Text("Activity.StartInPast"), Field(form, "Start").TextContent), Wait);
    }

    [Fact]
    public void ASeriesOfTooManyTimes_IsRefusedUnderTheRepeat()
    {
        using var culture = CultureScope.Use("zh-CN");
        var model = ValidModel();
        model.Repeat = RepeatKind.Weekly;
        model.RepeatCount = RecurrenceRule.MaxOccurrences + 1;
        var form = Render(model);

        form.Find("[data-testid=activity-save]").Click();

        form.WaitForAssertion(() => Assert.Contains(_host.Text("Recurrence.CountInvalid", RecurrenceRule.MaxOccurrences), Field(form, "Repeat").TextContent), Wait);
    }

    [Fact]
    public void ACoverThatIsNotAnImage_IsRefusedUnderTheCover_WhateverItsName_AndBlocksSavingUntilDropped()
    {
        using var culture = CultureScope.Use("zh-CN");
        var saved = false;
        var form = Render(ValidModel(), _ => saved = true);

        form.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("<svg onload=alert(1)>", "cover.png", contentType: "image/png"));

        form.WaitForAssertion(() => Assert.Contains(_host.Text("Activity.CoverWrongType"), Field(form, "Cover").TextContent), Wait);
        Assert.Empty(form.FindAll("[data-testid=cover-chosen]"));

        // The refusal stands through other changes and blocks saving, until the choice is dropped.
        form.Find("[data-testid=activity-save]").Click();
        form.WaitForAssertion(() => Assert.NotEmpty(form.FindAll("[data-testid=form-has-errors]")), Wait);
        Assert.Contains(_host.Text("Activity.CoverWrongType"), Field(form, "Cover").TextContent);
        Assert.False(saved);

        form.Find("[data-testid=cover-refused-cancel]").Click();
        Assert.DoesNotContain(_host.Text("Activity.CoverWrongType"), Field(form, "Cover").TextContent);
        Assert.Empty(form.FindAll("[data-testid=form-has-errors]"));
    }

    [Fact]
    public void ACoverOverTwoMegabytes_IsRefusedUnderTheCover()
    {
        using var culture = CultureScope.Use("zh-CN");
        var form = Render(ValidModel());
        var big = new byte[CoverImageStore.MaxBytes + 1];
        big[0] = 0xFF;
        big[1] = 0xD8;
        big[2] = 0xFF;

        form.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(big, "big.jpg", contentType: "image/jpeg"));

        form.WaitForAssertion(() => Assert.Contains(_host.Text("Activity.CoverTooLarge", 2), Field(form, "Cover").TextContent), Wait);
    }

    [Fact]
    public async Task AValidForm_CreatesADraftSeries_AndReportsTheFirstId()
    {
        using var culture = CultureScope.Use("zh-CN");
        var model = ValidModel();
        model.Repeat = RepeatKind.Weekly;
        model.RepeatCount = 3;
        int? savedId = null;
        var form = Render(model, id => savedId = id);

        form.Find("[data-testid=activity-save]").Click();

        form.WaitForAssertion(() => Assert.NotNull(savedId), Wait);
        await using var db = _host.Features.NewDb();
        var first = await db.Activities.AsNoTracking().SingleAsync(a => a.Id == savedId);
        Assert.Equal(ActivityStatus.Draft, first.Status);
        Assert.Equal("社区红色故事会", first.Title);
        Assert.Equal(3, await db.Activities.CountAsync(a => a.SeriesId == first.SeriesId));
        var local = _host.Features.Get<DisplayTime>().ToLocal(first.StartUtc);
        Assert.Equal(model.StartDate!.Value.Date + model.StartTime!.Value, local);
    }

    private ActivityFormModel ValidModel()
    {
        var model = ActivityFormModel.New(_host.Features.Get<DisplayTime>().LocalNow, _hongxing);
        model.Title = "社区红色故事会";
        model.Entry = EightEntry.Communities;
        model.ThemeIds = [_themes[0].Id];
        model.Place = "红星社区党群服务中心";
        return model;
    }

    private IRenderedComponent<ActivityForm> Render(ActivityFormModel model, Action<int>? onSaved = null) =>
        _host.Bunit.Render<ActivityForm>(p => p
            .Add(x => x.Model, model)
            .Add(x => x.Themes, _themes)
            .Add(x => x.OnSaved, id => onSaved?.Invoke(id)));

    private static IElement Field(IRenderedComponent<ActivityForm> form, string name) => form.Find($"[data-testid=field-{name}]");

    private async Task<int> ActivityCountAsync()
    {
        await using var db = _host.Features.NewDb();
        return await db.Activities.CountAsync();
    }
}
