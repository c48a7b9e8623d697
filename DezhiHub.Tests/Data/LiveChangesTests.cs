using System.Collections.Concurrent;
using System.Diagnostics;
using DezhiHub.Domain.Attendance;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Data.PostgreSQL;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Notifications;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform.Live;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace DezhiHub.Tests.Data;

/// <summary>
/// Live changes across instances (issue 13): on PostgreSQL the database's triggers NOTIFY at commit and every instance's
/// listener raises the change, whatever wrote it (EF, raw SQL) and whichever instance; a rolled-back change says nothing.
/// </summary>
public sealed class LiveChangesTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task OnPostgres_ACommittedChange_ReachesAnotherInstance_AndARolledBackOneDoesNot()
    {
        await using var first = await FeatureHost.CreateAsync(engine: DatabaseProvider.PostgreSQL);
        await using var second = first.AnotherInstance();
        await second.StartListeningAsync();
        var heard = new ConcurrentQueue<Change>();
        second.Get<LiveChanges>().Changed += heard.Enqueue;
        var activity = await first.PublishedActivityAsync(FeatureHost.Start.UtcDateTime.AddHours(1), "直播测试活动");
        var volunteer = (await first.SignInAsAsync(Demo.Volunteer)).RequiredUserId();
        var community = await first.OrgIdAsync("红星社区");

        // The activity's publication was audited at its community.
        await Eventually.TrueAsync(() => heard.Contains(new Change(ChangeKind.Audit, community)));

        await using (var db = first.NewDb())
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await AttendanceSql.TryCheckInAsync(db, AttendanceRecord.CheckIn(activity, volunteer, CheckInMethod.Manual, FeatureHost.Start.UtcDateTime, volunteer, "测试"), default);
            await transaction.RollbackAsync();
        }

        var clock = Stopwatch.StartNew();
        await using (var db = first.NewDb())
        {
            Assert.Equal(1, await AttendanceSql.TryCheckInAsync(db, AttendanceRecord.CheckIn(activity, volunteer, CheckInMethod.Manual, FeatureHost.Start.UtcDateTime, volunteer, "测试"), default));
        }

        await Eventually.TrueAsync(() => heard.Contains(new Change(ChangeKind.Attendance, activity)), seconds: 2);
        output.WriteLine($"a raw-SQL check-in on one instance was heard on the other after {clock.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(1, heard.Count(c => c == new Change(ChangeKind.Attendance, activity)));

        await using (var db = first.NewDb())
        {
            first.Scoped<NotificationService>().Add(db, volunteer, "Notify.OrgChanged", ["太行市"], null);
            await db.SaveChangesAsync();
        }

        await Eventually.TrueAsync(() => heard.Contains(new Change(ChangeKind.Notifications, volunteer)), seconds: 2);
    }

    [Theory]
    [InlineData("attendance:42", ChangeKind.Attendance, 42)]
    [InlineData("notifications:7", ChangeKind.Notifications, 7)]
    [InlineData("audit:3", ChangeKind.Audit, 3)]
    public void APayload_NamesItsChange(string payload, ChangeKind kind, int id) =>
        Assert.Equal(new Change(kind, id), PostgresChangeListener.Parse(payload));

    [Theory]
    [InlineData("attendance")]
    [InlineData("attendance:-1")]
    [InlineData("bookings:3")]
    [InlineData("attendance:99999999999")]
    public void AnythingElse_IsIgnored(string payload) => Assert.Null(PostgresChangeListener.Parse(payload));
}
