using System.Security.Claims;
using DezhiHub.Domain.Accounts;
using DezhiHub.Domain.Notifications;
using DezhiHub.Domain.Volunteering;
using DezhiHub.Domain;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Volunteering;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DezhiHub.Tests.Features;

/// <summary>
/// <see cref="VolunteerService"/> (profile, ledgers, the organizer's awards, reversals and hours corrections) and the
/// organizer's <see cref="VolunteerDirectory"/>, on real SQLite with a fake clock.
/// </summary>
public sealed class VolunteerServiceTests : IAsyncLifetime
{
    private FeatureHost _host = default!;
    private TestCity _city = default!;

    public async Task InitializeAsync()
    {
        _host = await FeatureHost.CreateAsync(demoData: false);
        _city = await TestCity.CreateAsync(_host);
        _host.Services.GetRequiredService<IOptions<PointsOptions>>().Value.AwardApprovalAbove = 50;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private VolunteerService Service => _host.Scoped<VolunteerService>();

    /// <summary>Rule 23 of decision 0014: ten taps on "become a volunteer" at once join once, with one role row and no error.</summary>
    [Fact]
    public async Task TenParallelCompletions_JoinOnce()
    {
        var resident = _city.Resident.Principal;
        // The ledger account row exists already (points from before joining): no insert to wait on, only the lock.
        await using (var setup = _host.NewDb())
        {
            await DezhiHub.Web.Data.LedgerSql.EnsureAccountAsync(setup, resident.RequiredUserId(), FeatureHost.Start.UtcDateTime, default);
        }

        var mark = _host.Logs.Mark;
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            try
            {
                await _host.Scoped<VolunteerService>().CompleteProfileAsync(resident, "急救", null);
                return null;
            }
            catch (Exception ex)
            {
                return ex;
            }
        })));

        Assert.All(results, r => Assert.Null(r));
        await using var db = _host.NewDb();
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "volunteer.joined" && a.EntityId == resident.RequiredUserId().ToString()));
        Assert.Single(await RolesOfAsync(TestCity.ResidentPhone), r => r == Roles.Volunteer);
        Assert.DoesNotContain(_host.Logs.Since(mark), e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Fact]
    public async Task CompletingTheProfile_MakesAResidentAVolunteer_WithNormalisedSkills_AndIsAudited()
    {
        var resident = _city.Resident.Principal;
        Assert.False((await Service.MineAsync(resident)).IsVolunteer);

        await Service.CompleteProfileAsync(resident, " 急救， 摄影、急救 ;书法 ", " 123x ");

        var mine = await Service.MineAsync(resident);
        Assert.True(mine.IsVolunteer);
        Assert.Equal(("急救,摄影,书法", "123X", 0, 0L, 0), (mine.Skills, mine.IdLast4, mine.StarLevel, mine.TotalMinutes, mine.PointsBalance));
        Assert.Equal(100, mine.HoursToNextStar);
        Assert.Contains(Roles.Volunteer, await RolesOfAsync(TestCity.ResidentPhone));

        // Editing keeps one role row and is audited as a change; the ID characters never reach the audit log.
        await Service.CompleteProfileAsync(resident, "急救", null);
        Assert.Equal(("急救", (string?)null), ((await Service.MineAsync(resident)).Skills, (await Service.MineAsync(resident)).IdLast4));
        Assert.Single(await RolesOfAsync(TestCity.ResidentPhone), r => r == Roles.Volunteer);
        await using var db = _host.NewDb();
        var residentId = resident.RequiredUserId().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var audit = await db.AuditEntries.Where(a => a.Action.StartsWith("volunteer.") && a.EntityId == residentId).OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(["volunteer.joined", "volunteer.profile-changed"], audit.Select(a => a.Action));
        Assert.Contains("****", audit[0].After);
        Assert.DoesNotContain("123X", string.Concat(audit.Select(a => a.Before + a.After)));
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("12AB")]
    [InlineData("X123")]
    [InlineData("１２３４")]
    public async Task AnIdLast4_ThatIsNotThreeDigitsAndADigitOrX_IsRefused_AndNothingIsStored(string idLast4)
    {
        var resident = _city.Resident.Principal;

        var error = await Assert.ThrowsAsync<DomainException>(() => Service.CompleteProfileAsync(resident, "急救", idLast4));

        Assert.Equal("Volunteer.IdLast4Invalid", error.Code);
        Assert.False((await Service.MineAsync(resident)).IsVolunteer);
        Assert.DoesNotContain(Roles.Volunteer, await RolesOfAsync(TestCity.ResidentPhone));
    }

    [Fact]
    public async Task TooManySkills_OrAnAccountWithoutCommunity_AreRefused()
    {
        var resident = _city.Resident.Principal;
        var skills = string.Join(',', Enumerable.Range(1, 60).Select(i => $"技能{i}"));
        var tooLong = await Assert.ThrowsAsync<DomainException>(() => Service.CompleteProfileAsync(resident, skills, null));
        Assert.Equal(("Volunteer.SkillsTooLong", VolunteerProfile.SkillsMaxLength), (tooLong.Code, (int)tooLong.Args[0]));

        await using (var db = _host.NewDb())
        {
            await db.Users.Where(u => u.PhoneNumber == TestCity.ResidentPhone).ExecuteUpdateAsync(s => s.SetProperty(u => u.OrgNodeId, (int?)null));
        }

        Assert.Equal("Volunteer.AccountIncomplete", (await Assert.ThrowsAsync<DomainException>(() => Service.CompleteProfileAsync(resident, "急救", null))).Code);
        Assert.False((await Service.MineAsync(resident)).IsVolunteer);
    }

    [Fact]
    public async Task AnAward_UpToTheThreshold_IsCreditedAtOnce_AndTheVolunteerIsTold()
    {
        var volunteer = await SubjectAsync();

        var award = await Service.AwardAsync(await OrganizerAsync(), volunteer.RequiredUserId(), 50, "帮助独居老人买菜");

        Assert.Equal((AwardStatus.Approved, 50, false), (award.Status, award.Points, award.CanDecide));
        Assert.Equal((50, 50), Balance(await Service.MineAsync(volunteer)));
        var line = Assert.Single((await Service.PointsHistoryAsync(volunteer, null, 0, 10)).Items);
        Assert.Equal((PointsKind.Awarded, 50, 50, "帮助独居老人买菜", _city.Organizer.Name), (line.Kind, line.Delta, line.BalanceAfter, line.Reason, line.ActorName));
        var notice = await NotificationAsync(volunteer, "Points.AwardedNotice");
        Assert.Equal(["50", "帮助独居老人买菜"], notice.Args);
        Assert.Equal("/volunteer", notice.Link);
        Assert.Empty(await Service.PendingAwardsAsync(await OrganizerAsync()));
    }

    [Fact]
    public async Task AnAward_AboveTheThreshold_WaitsForASecondOrganizer_NotTheRequester()
    {
        var volunteer = await SubjectAsync();
        var requester = await OrganizerAsync();

        var award = await Service.AwardAsync(requester, volunteer.RequiredUserId(), 80, "抗洪抢险");

        Assert.Equal(AwardStatus.Pending, award.Status);
        Assert.Equal((0, 0), Balance(await Service.MineAsync(volunteer)));
        Assert.Empty((await Service.PointsHistoryAsync(volunteer, null, 0, 10)).Items);
        var own = Assert.Single(await Service.PendingAwardsAsync(requester));
        Assert.Equal((award.Id, false, _city.Organizer.Name, _city.Resident.Name), (own.Id, own.CanDecide, own.RequestedBy, own.VolunteerName));
        Assert.Equal("Points.SecondOrganizerRequired",
            (await Assert.ThrowsAsync<DomainException>(() => Service.DecideAwardAsync(requester, award.Id, approve: true, null))).Code);
        Assert.Equal(AwardStatus.Pending, Assert.Single(await Service.PendingAwardsAsync(requester)).Status);

        var second = await SecondOrganizerAsync();
        Assert.True(Assert.Single(await Service.PendingAwardsAsync(second)).CanDecide);
        await Service.DecideAwardAsync(second, award.Id, approve: true, null);

        Assert.Equal((80, 80), Balance(await Service.MineAsync(volunteer)));
        var line = Assert.Single((await Service.PointsHistoryAsync(volunteer, null, 0, 10)).Items);
        Assert.Equal((PointsKind.Awarded, 80, "抗洪抢险", "王芳"), (line.Kind, line.Delta, line.Reason, line.ActorName));
        Assert.Equal(["80", "抗洪抢险"], (await NotificationAsync(volunteer, "Points.AwardedNotice")).Args);
        Assert.Empty(await Service.PendingAwardsAsync(requester));
        Assert.Equal("Points.AwardDecided",
            (await Assert.ThrowsAsync<DomainException>(async () => await Service.DecideAwardAsync(_city.Admin.Principal, award.Id, approve: true, null))).Code);
        await using var db = _host.NewDb();
        Assert.Equal(["points.award-requested", "points.award-approved"],
            await db.AuditEntries.Where(a => a.Action.StartsWith("points.")).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
    }

    [Fact]
    public async Task RejectingAnAward_NeedsAReason_AndCreditsNothing()
    {
        var volunteer = await SubjectAsync();
        var award = await Service.AwardAsync(await OrganizerAsync(), volunteer.RequiredUserId(), 200, "好人好事");
        var admin = _city.Admin.Principal;

        Assert.Equal("Points.ReasonRequired", (await Assert.ThrowsAsync<DomainException>(() => Service.DecideAwardAsync(admin, award.Id, approve: false, "  "))).Code);
        Assert.Single(await Service.PendingAwardsAsync(admin));

        await Service.DecideAwardAsync(admin, award.Id, approve: false, "事由不清，请补充");

        Assert.Empty(await Service.PendingAwardsAsync(admin));
        Assert.Equal((0, 0), Balance(await Service.MineAsync(volunteer)));
        Assert.Empty((await Service.PointsHistoryAsync(volunteer, null, 0, 10)).Items);
        await using var db = _host.NewDb();
        var stored = await db.PointsAwards.SingleAsync(a => a.Id == award.Id);
        Assert.Equal((AwardStatus.Rejected, "事由不清，请补充"), (stored.Status, stored.RejectReason));
        Assert.False(await db.Notifications.AnyAsync(n => n.MessageKey == "Points.AwardedNotice"));
    }

    [Fact]
    public async Task TwoApprovers_AtOnce_MakeOneDecision_AndCreditOnce()
    {
        var volunteer = await SubjectAsync();
        var award = await Service.AwardAsync(await OrganizerAsync(), volunteer.RequiredUserId(), 120, "见义勇为");
        var approvers = new[] { _city.Admin.Principal, await SecondOrganizerAsync() };

        using var start = new SemaphoreSlim(0);
        var decisions = approvers.Select(async approver =>
        {
            await start.WaitAsync();
            try
            {
                await Service.DecideAwardAsync(approver, award.Id, approve: true, null);
                return "ok";
            }
            catch (DomainException ex)
            {
                return ex.Code;
            }
        }).ToList();
        start.Release(approvers.Length);
        var results = await Task.WhenAll(decisions);

        Assert.Equal(["Points.AwardDecided", "ok"], results.Order(StringComparer.Ordinal));
        Assert.Equal((120, 120), Balance(await Service.MineAsync(volunteer)));
        Assert.Single((await Service.PointsHistoryAsync(volunteer, null, 0, 10)).Items);
        await using var db = _host.NewDb();
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "points.award-approved"));
        Assert.Equal(1, await db.Notifications.CountAsync(n => n.MessageKey == "Points.AwardedNotice"));
    }

    [Fact]
    public async Task ReversingAnAward_TakesThePointsBack_Once()
    {
        var volunteer = await SubjectAsync();
        var organizer = await OrganizerAsync();
        await Service.AwardAsync(organizer, volunteer.RequiredUserId(), 30, "清理楼道");
        await Service.AwardAsync(organizer, volunteer.RequiredUserId(), 20, "照看邻居孩子");
        var first = (await Service.PointsHistoryAsync(organizer, volunteer.RequiredUserId(), 0, 10)).Items.Single(l => l.Delta == 30);

        Assert.Equal("Points.ReasonRequired", (await Assert.ThrowsAsync<DomainException>(() => Service.ReversePointsAsync(organizer, first.Id, ""))).Code);
        await Service.ReversePointsAsync(organizer, first.Id, "重复奖励");

        Assert.Equal((20, 20), Balance(await Service.MineAsync(volunteer)));
        var reversal = (await Service.PointsHistoryAsync(volunteer, null, 0, 10)).Items[0];
        Assert.Equal((PointsKind.Reversed, -30, 20, "重复奖励", _city.Organizer.Name, $"reversal:{first.Id}"),
            (reversal.Kind, reversal.Delta, reversal.BalanceAfter, reversal.Reason, reversal.ActorName, reversal.SourceKey));

        Assert.Equal("Points.AlreadyReversed", (await Assert.ThrowsAsync<DomainException>(() => Service.ReversePointsAsync(organizer, first.Id, "再撤一次"))).Code);
        Assert.Equal("Points.NotReversible", (await Assert.ThrowsAsync<DomainException>(() => Service.ReversePointsAsync(organizer, reversal.Id, "撤销撤销"))).Code);
        Assert.Equal((20, 20), Balance(await Service.MineAsync(volunteer)));
        Assert.Equal(3, (await Service.PointsHistoryAsync(volunteer, null, 0, 10)).Total);
        await using var db = _host.NewDb();
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "points.reversed"));
    }

    [Fact]
    public async Task AReversal_TheBalanceNoLongerCovers_IsRefused_AndChangesNothing()
    {
        var volunteer = await SubjectAsync();
        var organizer = await OrganizerAsync();
        await Service.AwardAsync(organizer, volunteer.RequiredUserId(), 30, "清理楼道");
        var award = Assert.Single((await Service.PointsHistoryAsync(volunteer, null, 0, 10)).Items);
        await RedeemAsync(volunteer.RequiredUserId(), 25); // 5 left

        var error = await Assert.ThrowsAsync<DomainException>(() => Service.ReversePointsAsync(organizer, award.Id, "误奖"));

        Assert.Equal("Points.InsufficientBalance", error.Code);
        Assert.Equal((5, 30), Balance(await Service.MineAsync(volunteer)));
        var lines = (await Service.PointsHistoryAsync(volunteer, null, 0, 10)).Items;
        Assert.Equal([PointsKind.Redeemed, PointsKind.Awarded], lines.Select(l => l.Kind));
        await using var db = _host.NewDb();
        Assert.False(await db.AuditEntries.AnyAsync(a => a.Action == "points.reversed"));

        // A spending entry is not the organizer's to reverse.
        Assert.Equal("Points.NotReversible", (await Assert.ThrowsAsync<DomainException>(() => Service.ReversePointsAsync(organizer, lines[0].Id, "退回"))).Code);
    }

    [Fact]
    public async Task AnHoursCorrection_LowersTheTotalAndTheStarLevel_Once()
    {
        var volunteer = await SubjectAsync();
        var userId = volunteer.RequiredUserId();
        await CreditHoursAsync(userId, 301 * 60);
        var before = await Service.MineAsync(volunteer);
        Assert.Equal((2, 301 * 60L), (before.StarLevel, before.TotalMinutes));
        Assert.Equal(["2", "300"], (await NotificationAsync(volunteer, "Volunteer.StarReached")).Args);
        var organizer = await OrganizerAsync();
        var entry = Assert.Single((await Service.HoursHistoryAsync(organizer, userId, 0, 10)).Items);

        Assert.Equal(("Hours.CorrectionInvalid", 301 * 60),
            await CodeAsync(() => Service.CorrectHoursAsync(organizer, entry.Id, (301 * 60) + 1, "超出")));
        Assert.Equal(("Hours.CorrectionInvalid", 301 * 60), await CodeAsync(() => Service.CorrectHoursAsync(organizer, entry.Id, 0, "零")));
        Assert.Equal("Points.ReasonRequired", (await CodeAsync(() => Service.CorrectHoursAsync(organizer, entry.Id, 120, null))).Code);

        await Service.CorrectHoursAsync(organizer, entry.Id, 120, "签退时间登记错误");

        var after = await Service.MineAsync(volunteer);
        Assert.Equal((1, 299 * 60L, 1.0), (after.StarLevel, after.TotalMinutes, after.HoursToNextStar));
        var correction = (await Service.HoursHistoryAsync(volunteer, null, 0, 10)).Items[0];
        Assert.Equal((HoursKind.Correction, -120, "签退时间登记错误", _city.Organizer.Name), (correction.Kind, correction.Minutes, correction.Reason, correction.ActorName));
        Assert.Equal("Hours.AlreadyCorrected", (await CodeAsync(() => Service.CorrectHoursAsync(organizer, entry.Id, 60, "再改一次"))).Code);
        Assert.Equal(299 * 60L, (await Service.MineAsync(volunteer)).TotalMinutes);
        await using var db = _host.NewDb();
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "hours.corrected"));
        // Going down is not announced.
        Assert.Equal(1, await db.Notifications.CountAsync(n => n.UserId == userId && n.MessageKey == "Volunteer.StarReached"));
    }

    [Fact]
    public async Task AnOrganizerOfAnotherCommunity_IsRefusedEverything_OnAHongxingPerson()
    {
        var volunteer = await SubjectAsync();
        var userId = volunteer.RequiredUserId();
        await Service.AwardAsync(await OrganizerAsync(), userId, 30, "清理楼道");
        var pending = await Service.AwardAsync(await OrganizerAsync(), userId, 90, "抗洪抢险");
        await CreditHoursAsync(userId, 120);
        var points = Assert.Single((await Service.PointsHistoryAsync(volunteer, null, 0, 10)).Items);
        var hours = Assert.Single((await Service.HoursHistoryAsync(volunteer, null, 0, 10)).Items);
        var heping = _city.OtherOrganizer.Principal;

        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.SummaryForAsync(heping, userId));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.PointsHistoryAsync(heping, userId, 0, 10));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.HoursHistoryAsync(heping, userId, 0, 10));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.AwardAsync(heping, userId, 10, "好人好事"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.DecideAwardAsync(heping, pending.Id, approve: true, null));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.ReversePointsAsync(heping, points.Id, "撤销"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.CorrectHoursAsync(heping, hours.Id, 60, "更正"));
        Assert.Empty(await Service.PendingAwardsAsync(heping));
        Assert.Equal((30, 30), Balance(await Service.MineAsync(volunteer)));
        Assert.Equal(120, (await Service.MineAsync(volunteer)).TotalMinutes);
    }

    [Fact]
    public async Task AResident_CannotReadSomeoneElsesLedgers_OrAct()
    {
        var volunteer = _city.Volunteer.Principal;
        var resident = _city.Resident.Principal;
        var userId = volunteer.RequiredUserId();

        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.PointsHistoryAsync(resident, userId, 0, 10));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.HoursHistoryAsync(resident, userId, 0, 10));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.SummaryForAsync(resident, userId));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.AwardAsync(resident, userId, 10, "好人好事"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.PendingAwardsAsync(resident));
        // Their own history is theirs to read.
        Assert.Empty((await Service.PointsHistoryAsync(resident, resident.RequiredUserId(), 0, 10)).Items);
    }

    [Fact]
    public async Task TheDirectory_FindsPeopleOfTheOrganizersArea_ByNameOrPhoneDigits_WithTheirTotals()
    {
        var volunteer = await SubjectAsync();
        var organizer = await OrganizerAsync();
        await Service.AwardAsync(organizer, volunteer.RequiredUserId(), 40, "清理楼道");
        await CreditHoursAsync(_city.Volunteer.Id, 120 * 60);
        await Service.CompleteProfileAsync(_city.Volunteer.Principal, "讲解", null);
        await CreditHoursAsync(volunteer.RequiredUserId(), 201 * 60); // more than the community's volunteer: heads the list

        var byName = await DirectoryAsync(organizer, new VolunteerFilter(_city.Resident.Name));
        var row = Assert.Single(byName.Items);
        Assert.Equal((volunteer.RequiredUserId(), "137****0006", 201 * 60L, 1, 40, 40), (row.UserId, row.Phone, row.TotalMinutes, row.StarLevel, row.PointsBalance, row.PointsEarned));
        Assert.Contains("东湖社区", row.OrgName);
        Assert.False(row.IsVolunteer);
        Assert.Equal(volunteer.RequiredUserId(), Assert.Single((await DirectoryAsync(organizer, new VolunteerFilter("0006"))).Items).UserId);

        // The most hours first; everyone listed lives in 东湖社区's subtree.
        var all = await DirectoryAsync(organizer, new VolunteerFilter(PageSize: 200));
        Assert.Equal(volunteer.RequiredUserId(), all.Items[0].UserId);
        Assert.Equal(all.Items.Select(r => r.TotalMinutes).OrderDescending(), all.Items.Select(r => r.TotalMinutes));
        Assert.All(all.Items, r => Assert.Contains("东湖社区", r.OrgName));
        Assert.Equal(all.Total, all.Items.Count);

        // Only those who completed the profile: the community's volunteer, then the resident too once he joins.
        var volunteersBefore = (await DirectoryAsync(organizer, new VolunteerFilter(VolunteersOnly: true))).Items.Select(r => r.UserId).ToList();
        Assert.NotEmpty(volunteersBefore);
        Assert.DoesNotContain(volunteer.RequiredUserId(), volunteersBefore);
        Assert.All(volunteersBefore, id => Assert.True(all.Items.Single(r => r.UserId == id).IsVolunteer));
        await Service.CompleteProfileAsync(volunteer, "急救", null);
        Assert.Equal([volunteer.RequiredUserId(), .. volunteersBefore], (await DirectoryAsync(organizer, new VolunteerFilter(VolunteersOnly: true))).Items.Select(r => r.UserId));

        var heping = _city.OtherOrganizer.Principal;
        Assert.Empty((await DirectoryAsync(heping, new VolunteerFilter(_city.Resident.Name))).Items);
        Assert.Equal(TestCity.ResidentPhone, Assert.Single((await DirectoryAsync(_city.Admin.Principal, new VolunteerFilter("0006"))).Items).Phone);
        await Assert.ThrowsAsync<AccessDeniedException>(async () => await DirectoryAsync(_city.Resident.Principal, new VolunteerFilter()));
    }

    private static (int Balance, int Earned) Balance(VolunteerSummary summary) => (summary.PointsBalance, summary.PointsEarned);

    private static async Task<(string Code, object? Arg)> CodeAsync(Func<Task> action)
    {
        var error = await Assert.ThrowsAsync<DomainException>(action);
        return (error.Code, error.Args.Count > 0 ? error.Args[0] : null);
    }

    private Task<ClaimsPrincipal> OrganizerAsync() => _host.SignInAsAsync(TestCity.OrganizerPhone);

    /// <summary>The person the organizer acts on: the test city's resident, who starts with no ledger entries.</summary>
    private Task<ClaimsPrincipal> SubjectAsync() => _host.SignInAsAsync(TestCity.ResidentPhone);

    private async Task<Paged<VolunteerRow>> DirectoryAsync(ClaimsPrincipal user, VolunteerFilter filter)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await ActivatorUtilities.GetServiceOrCreateInstance<VolunteerDirectory>(scope.ServiceProvider).SearchAsync(user, filter);
    }

    /// <summary>A second organizer of 东湖社区, 王芳.</summary>
    private async Task<ClaimsPrincipal> SecondOrganizerAsync()
    {
        const string phone = "13800000012";
        await using (var db = _host.NewDb())
        {
            if (!await db.Users.AnyAsync(u => u.PhoneNumber == phone))
            {
                var user = new AppUser
                {
                    UserName = phone,
                    NormalizedUserName = phone,
                    PhoneNumber = phone,
                    RealName = "王芳",
                    OrgNodeId = _city.Community.Id,
                    SecurityStamp = Guid.NewGuid().ToString("N"),
                    CreatedAtUtc = _host.Clock.GetUtcNow().UtcDateTime,
                };
                db.Users.Add(user);
                await db.SaveChangesAsync();
                var role = await db.Roles.Where(r => r.Name == Roles.Organizer).Select(r => r.Id).SingleAsync();
                db.UserRoles.Add(new IdentityUserRole<int> { UserId = user.Id, RoleId = role });
                await db.SaveChangesAsync();
            }
        }

        return await _host.SignInAsAsync(phone);
    }

    private async Task<List<string>> RolesOfAsync(string phone)
    {
        await using var db = _host.NewDb();
        return await (from u in db.Users
                      join ur in db.UserRoles on u.Id equals ur.UserId
                      join r in db.Roles on ur.RoleId equals r.Id
                      where u.PhoneNumber == phone
                      select r.Name!).ToListAsync();
    }

    private async Task<Notification> NotificationAsync(ClaimsPrincipal user, string key)
    {
        await using var db = _host.NewDb();
        var userId = user.RequiredUserId();
        return await db.Notifications.AsNoTracking().SingleAsync(n => n.UserId == userId && n.MessageKey == key);
    }

    /// <summary>Hours as a credited attendance posts them (the attendance flow itself is AttendanceServiceTests' subject).</summary>
    private async Task CreditHoursAsync(int userId, int minutes)
    {
        await using var db = _host.NewDb();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await _host.Get<Ledger>().PostHoursAsync(db, userId, minutes, HoursKind.Attendance, $"attendance:test-{Guid.NewGuid():N}", _host.Clock.GetUtcNow().UtcDateTime);
        await transaction.CommitAsync();
    }

    /// <summary>Spends points as a market redemption would.</summary>
    private async Task RedeemAsync(int userId, int points)
    {
        await using var db = _host.NewDb();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await _host.Get<Ledger>().PostPointsAsync(db, userId, -points, PointsKind.Redeemed, $"redemption:test-{Guid.NewGuid():N}", _host.Clock.GetUtcNow().UtcDateTime);
        await transaction.CommitAsync();
    }
}
