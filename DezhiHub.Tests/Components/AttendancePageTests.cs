using System.Security.Claims;
using System.Text.RegularExpressions;
using Bunit;
using DezhiHub.Domain.Activities;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.CheckIn;
using DezhiHub.Web.Features.Volunteering;
using DezhiHub.Web.Platform.Identity;
using MudBlazor;

namespace DezhiHub.Tests.Components;

/// <summary>
/// The attendance page on the real services: each person's share of the schedule and whether it counts, before and
/// after confirming, and a confirmation that says who got no hours.
/// </summary>
public sealed partial class AttendancePageTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private static readonly DateTime Start = new(2026, 12, 31, 1, 0, 0, DateTimeKind.Utc); // 09:00 in Shanghai

    private ComponentHost _host = default!;
    private ClaimsPrincipal _organizer = default!;

    public async Task InitializeAsync()
    {
        _host = await ComponentHost.CreateWithCityAsync();
        _host.Bunit.Render<MudPopoverProvider>();
        _organizer = _host.City.Organizer.Principal;
        _host.SignIn(_organizer);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task EachRow_ShowsTheShare_AndWhetherItCounts_BeforeAndAfterConfirming()
    {
        using var culture = CultureScope.Use("zh-CN");
        var id = await SixtyAndFiftyNinePercentAsync();
        var snackbars = _host.Bunit.Render<MudSnackbarProvider>();

        var page = _host.Bunit.Render<AttendancePage>(p => p.Add(x => x.Id, id));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=attendance-row]").Count), Wait);
        Assert.Equal((_host.Text("Attendance.PresenceValue", 72, 120, 60), _host.Text("Attendance.WillCount", "1.2")), Row(page, _host.City.Partner.Name));
        Assert.Equal((_host.Text("Attendance.PresenceValue", 71, 120, 59), _host.Text("Attendance.WillNotCount", 60)), Row(page, _host.City.Volunteer.Name));
        Assert.Equal("确认后：1 人计入共 1.2 小时，1 人不足 60% 未计入。", page.Find("[data-testid=attendance-preview]").TextContent.Trim());

        page.Find("[data-testid=attendance-confirm]").Click();

        page.WaitForAssertion(() => Assert.Equal("考勤已确认：1 人计入共 1.2 小时，1 人不足 60% 未计入。", page.Find("[data-testid=attendance-confirmed]").TextContent.Trim()), Wait);
        Assert.Equal((_host.Text("Attendance.PresenceValue", 72, 120, 60), _host.Text("Attendance.Counted", "1.2")), Row(page, _host.City.Partner.Name));
        Assert.Equal((_host.Text("Attendance.PresenceValue", 71, 120, 59), _host.Text("Attendance.NotCountedShare", 59, 60)), Row(page, _host.City.Volunteer.Name));
        Assert.DoesNotContain(_host.Text("CheckIn.AlreadyCredited"), page.Markup);
        snackbars.WaitForAssertion(() => Assert.Contains("考勤已确认：1 人计入共 1.2 小时，1 人不足 60% 未计入。", snackbars.Markup), Wait);
    }

    [Fact]
    public async Task InEnglish_TheOutcomesAndTheTotals_UseTheirPlurals()
    {
        using var culture = CultureScope.Use("en-US");
        var id = await SixtyAndFiftyNinePercentAsync();
        await _host.Features.Scoped<AttendanceService>().ConfirmAsync(_organizer, id, []);

        var page = _host.Bunit.Render<AttendancePage>(p => p.Add(x => x.Id, id));

        page.WaitForAssertion(() => Assert.Equal(
            "Attendance confirmed: 1 person credited, 1.2 hours in all; 1 person under 60%, not credited.",
            page.Find("[data-testid=attendance-confirmed]").TextContent.Trim()), Wait);
        Assert.Equal(("72 of 120 min · 60%", "Credited 1.2 hours"), Row(page, _host.City.Partner.Name));
        Assert.Equal(("71 of 120 min · 59%", "Not credited: present 59% (needs 60%)"), Row(page, _host.City.Volunteer.Name));
    }

    [Theory]
    [InlineData(5, 4)] // 0.0667 h: once "0.07" here and "0.1" on the volunteer's page
    [InlineData(15, 9)] // 0.15 h: rounds half up to 0.2 on both
    public async Task TheSameMinutes_ReadTheSame_OnTheAttendancePage_AndTheVolunteersPage(int scheduledMinutes, int presentMinutes)
    {
        using var culture = CultureScope.Use("zh-CN");
        var id = await _host.City.PublishedActivityAsync(Start, "取整测试", duration: TimeSpan.FromMinutes(scheduledMinutes));
        // 赵磊, whose only hours are these (the demo volunteer 刘洋 has months of service).
        var volunteer = _host.City.Resident.Principal;
        var checkIns = _host.Features.Scoped<CheckInService>();
        await _host.Features.Scoped<DezhiHub.Web.Features.Activities.SignUpService>().SignUpAsync(volunteer, id);
        _host.Features.Clock.SetUtcNow(Start);
        await checkIns.ScanAsync(volunteer, id, CheckInPurpose.CheckIn);
        _host.Features.Clock.SetUtcNow(Start.AddMinutes(presentMinutes));
        await checkIns.ScanAsync(volunteer, id, CheckInPurpose.CheckOut);
        _host.Features.Clock.SetUtcNow(Start.AddHours(1));
        await _host.Features.Scoped<AttendanceService>().ConfirmAsync(_organizer, id, []);

        var attendance = _host.Bunit.Render<AttendancePage>(p => p.Add(x => x.Id, id));
        var person = _host.Bunit.Render<VolunteerPage>(p => p.Add(x => x.UserId, volunteer.RequiredUserId()));

        attendance.WaitForAssertion(() => Assert.Single(attendance.FindAll("[data-testid=attendance-row]")), Wait);
        person.WaitForAssertion(() => Assert.NotEmpty(person.FindAll("[data-testid=total-hours]")), Wait);
        var onAttendance = Number().Match(attendance.Find("[data-testid=attendance-hours]").TextContent).Value;
        var onVolunteerPage = person.Find("[data-testid=total-hours]").TextContent.Trim();
        Assert.Equal(onVolunteerPage, onAttendance);
        Assert.Equal(presentMinutes == 4 ? "0.1" : "0.2", onAttendance);
    }

    /// <summary>陈静 present 72 of the 120 scheduled minutes (60 %), 刘洋 71 (59 %); the activity has ended.</summary>
    private async Task<int> SixtyAndFiftyNinePercentAsync()
    {
        var id = await _host.City.PublishedActivityAsync(Start, "考勤页测试", walkIns: true);
        var sixty = _host.City.Partner.Principal;
        var fiftyNine = _host.City.Volunteer.Principal;
        var checkIns = _host.Features.Scoped<CheckInService>();
        _host.Features.Clock.SetUtcNow(Start);
        await checkIns.ScanAsync(sixty, id, CheckInPurpose.CheckIn);
        await checkIns.ScanAsync(fiftyNine, id, CheckInPurpose.CheckIn);
        _host.Features.Clock.SetUtcNow(Start.AddMinutes(71));
        await checkIns.ScanAsync(fiftyNine, id, CheckInPurpose.CheckOut);
        _host.Features.Clock.SetUtcNow(Start.AddMinutes(72));
        await checkIns.ScanAsync(sixty, id, CheckInPurpose.CheckOut);
        _host.Features.Clock.SetUtcNow(Start.AddHours(3));
        return id;
    }

    private static (string Share, string Hours) Row(IRenderedComponent<AttendancePage> page, string name)
    {
        var row = page.FindAll("[data-testid=attendance-row]").Single(r => r.TextContent.Contains(name, StringComparison.Ordinal));
        return (Squeeze(row.QuerySelector("[data-testid=attendance-share]")!.TextContent),
            Squeeze(row.QuerySelector("[data-testid=attendance-hours] [data-outcome]")!.TextContent));
    }

    private static string Squeeze(string text) => Spaces().Replace(text, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"\d+(\.\d+)?")]
    private static partial Regex Number();
}
