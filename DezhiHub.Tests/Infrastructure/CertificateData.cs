using System.Security.Claims;
using DezhiHub.Domain.Activities;
using DezhiHub.Domain.Volunteering;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Volunteering;
using DezhiHub.Web.Platform.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DezhiHub.Tests.Infrastructure;

/// <summary>
/// Data of the certificate tests on the shared app (<see cref="AppFactory"/>), made fresh for each test so that no
/// other test's hours reach its certificates: a new volunteer of 红星社区/第一网格, finished activities of 红星社区 in the
/// past, and hours credited through the app's own <see cref="Ledger"/>.
/// </summary>
public static class CertificateData
{
    /// <summary>A new account (password <see cref="Demo.Password"/>) living in 红星社区's first grid cell.</summary>
    public static async Task<(int Id, string Phone, string Name)> PersonAsync(IServiceProvider app, string name)
    {
        await using var scope = app.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var hongxing = await db.OrgNodes.Where(n => n.Name == "红星社区").Select(n => n.Path).SingleAsync();
        var cell = await db.OrgNodes.Where(n => n.Name == "第一网格" && n.Path.StartsWith(hongxing)).Select(n => n.Id).SingleAsync();
        var phone = $"139{Random.Shared.Next(10_000_000, 99_999_999)}";
        var user = new AppUser { UserName = phone, PhoneNumber = phone, RealName = name, OrgNodeId = cell, CreatedAtUtc = DateTime.UtcNow };
        var result = await services.GetRequiredService<UserManager<AppUser>>().CreateAsync(user, Demo.Password);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        return (user.Id, phone, name);
    }

    /// <summary>A two-hour activity of 红星社区 that took place <paramref name="daysAgo"/> days ago, at 09:00 UTC.</summary>
    public static async Task<int> PastActivityAsync(IServiceProvider app, string title, int daysAgo)
    {
        await using var db = await app.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var hongxing = await db.OrgNodes.Where(n => n.Name == "红星社区").Select(n => new { n.Id, n.Path }).SingleAsync();
        var organizer = await db.Users.Where(u => u.PhoneNumber == Demo.OrganizerHongxing).Select(u => u.Id).SingleAsync();
        var theme = await db.ActivityThemes.Where(t => !t.IsRetired).Select(t => t.Id).FirstAsync();
        var start = DateTime.UtcNow.Date.AddDays(-daysAgo).AddHours(1);
        var activity = Activity.Create(new ActivityDetails
        {
            Title = title,
            Entry = EightEntry.Communities,
            ThemeIds = [theme],
            OrgNodeId = hongxing.Id,
            Place = "红星社区党群服务中心",
            StartUtc = start,
            EndUtc = start.AddHours(2),
            Capacity = 20,
        }, hongxing.Path, organizer, start.AddDays(-7));
        activity.Publish(start.AddDays(-7));
        activity.CompleteIfEnded(DateTime.UtcNow);
        db.Activities.Add(activity);
        await db.SaveChangesAsync();
        return activity.Id;
    }

    /// <summary>Credits minutes of an activity to a person, as a confirmed attendance would; returns the entry's id.</summary>
    public static async Task<long> CreditAsync(IServiceProvider app, int userId, int activityId, int minutes, HoursKind kind = HoursKind.Attendance)
    {
        var ledger = app.GetRequiredService<Ledger>();
        await using var db = await app.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var entry = await ledger.PostHoursAsync(db, userId, minutes, kind, $"test:certificate:{Guid.NewGuid():N}", DateTime.UtcNow, activityId,
            kind == HoursKind.Correction ? "测试更正" : null);
        await transaction.CommitAsync();
        return entry!.Id;
    }

    /// <summary>The principal a signed-in user would have: id, name and roles as in the database.</summary>
    public static async Task<ClaimsPrincipal> PrincipalAsync(IServiceProvider app, string phone)
    {
        await using var scope = app.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.Users.SingleAsync(u => u.PhoneNumber == phone);
        return Principals.For(user.Id, user.RealName, [.. await users.GetRolesAsync(user)]);
    }
}
