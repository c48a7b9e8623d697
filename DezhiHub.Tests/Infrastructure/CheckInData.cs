using System.Security.Claims;
using DezhiHub.Domain.Activities;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Activities;
using DezhiHub.Web.Features.CheckIn;
using DezhiHub.Web.Platform.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DezhiHub.Tests.Infrastructure;

/// <summary>
/// Activities of 红星社区 whose check-in window is open now, made through the app's own services on the shared
/// app (<see cref="AppFactory"/>), and the codes its check-in screen would show.
/// </summary>
public static class CheckInData
{
    /// <summary>Starts ten minutes from now (the window opens 30 minutes before the start) and lasts two hours.</summary>
    public static async Task<(int Id, string Title)> ActivityAsync(
        IServiceProvider app, bool signUpRequired = false, bool walkIns = false, bool cancelled = false, params string[] signedUp)
    {
        await using var scope = app.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var organizer = await PrincipalAsync(services, Demo.OrganizerHongxing);
        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var hongxing = await db.OrgNodes.Where(n => n.Name == "红星社区").Select(n => n.Id).SingleAsync();
        var theme = await db.ActivityThemes.Where(t => !t.IsRetired).Select(t => t.Id).FirstAsync();
        var start = DateTime.UtcNow.AddMinutes(10);
        var title = $"签到测试 {Random.Shared.Next(10000, 99999)}";
        var activities = services.GetRequiredService<ActivityService>();
        var id = (await activities.CreateAsync(organizer, new ActivityDetails
        {
            Title = title,
            Entry = EightEntry.Communities,
            ThemeIds = [theme],
            OrgNodeId = hongxing,
            Place = "红星社区党群服务中心",
            StartUtc = start,
            EndUtc = start.AddHours(2),
            SignUpRequired = signUpRequired,
            WalkInsAllowed = walkIns,
        }))[0];
        await activities.PublishAsync(organizer, id);
        foreach (var phone in signedUp)
        {
            await services.GetRequiredService<SignUpService>().SignUpAsync(await PrincipalAsync(services, phone), id);
        }

        if (cancelled)
        {
            await activities.CancelAsync(organizer, id, "场地临时维修");
        }

        return (id, title);
    }

    /// <summary>The code the screen shows now, or the one it showed <paramref name="stepsAgo"/> steps (of 30 s) ago.</summary>
    public static string Token(IServiceProvider app, int activityId, CheckInPurpose purpose = CheckInPurpose.CheckIn, int stepsAgo = 0)
    {
        var tokens = app.GetRequiredService<CheckInTokens>();
        return tokens.Issue(activityId, purpose, tokens.CurrentStep() - stepsAgo);
    }

    public static async Task<int> AttendanceCountAsync(IServiceProvider app, int activityId)
    {
        await using var db = await app.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await db.Attendance.CountAsync(a => a.ActivityId == activityId);
    }

    private static async Task<ClaimsPrincipal> PrincipalAsync(IServiceProvider services, string phone)
    {
        var users = services.GetRequiredService<UserManager<AppUser>>();
        var user = await users.Users.SingleAsync(u => u.PhoneNumber == phone);
        return Principals.For(user.Id, user.RealName, [.. await users.GetRolesAsync(user)]);
    }
}
