using System.Buffers.Text;
using System.Security.Claims;
using DezhiHub.Domain.Volunteering;
using DezhiHub.Domain;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Certificates;
using DezhiHub.Web.Features.Market;
using DezhiHub.Web.Features.Volunteering;
using DezhiHub.Web.Platform.Access;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DezhiHub.Tests.Features;

/// <summary>
/// Service record certificates on real SQLite: totals equal the hours ledger for the period, the signed code verifies and
/// nothing else does, revocation, and who may issue and read one.
/// </summary>
/// <remarks>
/// The volunteer is 王志刚 (13910000000), a resident of the test city's 东湖社区/第一网格 with no service but what this
/// class credits. The clock starts on 2026-11-27; the activities are published for December 2026 and January 2027, then the clock moves
/// to 2027-01-10 and hours are credited. Shanghai is UTC+8, so an activity starting 2026-12-31 16:30 UTC is held on
/// New Year's Day.
/// </remarks>
public sealed class CertificateServiceTests : IAsyncLifetime
{
    private static readonly DateOnly Year2026From = new(2026, 1, 1);
    private static readonly DateOnly Year2026To = new(2026, 12, 31);

    /// <summary>王志刚 of 东湖社区/第一网格, whose service is all this class credits.</summary>
    private const string Holder = "13910000000";

    private FeatureHost _host = default!;
    private TestCity _city = default!;
    private int _volunteer;
    private int _resident;
    private Activities _activities = default!;

    public async Task InitializeAsync()
    {
        _host = await FeatureHost.CreateAsync(demoData: false);
        _city = await TestCity.CreateAsync(_host);
        _volunteer = (await _city.PersonAsync(Holder, _city.Grid1, "王志刚")).Id;
        _resident = _city.Resident.Id;
        _activities = new Activities(
            December5: await _city.PublishedActivityAsync(Utc(2026, 12, 5, 2, 0), "十二月宣讲"),
            December20: await _city.PublishedActivityAsync(Utc(2026, 12, 20, 6, 0), "冬至包饺子"),
            NewYearsEveLate: await _city.PublishedActivityAsync(Utc(2026, 12, 31, 13, 0), "跨年守岁"),
            NewYearsDayEarly: await _city.PublishedActivityAsync(Utc(2026, 12, 31, 16, 30), "元旦零点敲钟"),
            January3: await _city.PublishedActivityAsync(Utc(2027, 1, 3, 1, 0), "新年红色观影"));
        _host.Clock.SetUtcNow(new DateTimeOffset(2027, 1, 10, 2, 0, 0, TimeSpan.Zero));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private CertificateService Certificates => _host.Scoped<CertificateService>();

    [Fact]
    public async Task TheTotals_EqualTheLedger_ForThePeriod_CorrectionsNetted_AndEntriesOutsideItLeftOut()
    {
        await CreditAsync(_volunteer, _activities.December5, 120);
        var december20 = await CreditAsync(_volunteer, _activities.December20, 90);
        await CreditAsync(_volunteer, _activities.December20, -30, HoursKind.Correction, $"correction:{december20}");
        var eve = await CreditAsync(_volunteer, _activities.NewYearsEveLate, 100);
        await CreditAsync(_volunteer, _activities.NewYearsEveLate, -100, HoursKind.Correction, $"correction:{eve}"); // taken back in full
        await CreditAsync(_volunteer, _activities.NewYearsDayEarly, 45); // 2027-01-01 in Shanghai
        await CreditAsync(_volunteer, _activities.January3, 60);
        await CreditAsync(_resident, _activities.December5, 120); // someone else's

        var volunteer = await SignInAsync(Holder);
        var id = await Certificates.IssueAsync(volunteer, null, Year2026From, Year2026To);
        var document = await Certificates.GetAsync(volunteer, id);

        Assert.Equal([(_activities.December5, 120), (_activities.December20, 60)], document.Lines.Select(l => (l.ActivityId, l.Minutes)));
        Assert.Equal(180, document.TotalMinutes);
        Assert.Equal(2, document.ActivityCount);
        Assert.Equal(document.Lines.Sum(l => l.Minutes), document.TotalMinutes);
        Assert.Equal([new DateOnly(2026, 12, 5), new DateOnly(2026, 12, 20)], document.Lines.Select(l => l.Date));
        Assert.Equal(["十二月宣讲", "冬至包饺子"], document.Lines.Select(l => l.Title));
        Assert.All(document.Lines, l => Assert.Equal("东湖社区", l.Host));
        Assert.Equal("王志刚", document.RealName);
        Assert.Equal("东湖社区", document.Community); // 王志刚 lives in its first grid cell
        Assert.Equal("东湖社区", document.IssuedBy);
        Assert.Equal((Year2026From, Year2026To), (document.PeriodFrom, document.PeriodTo));
        Assert.Equal("3.0", CertificateText.Hours(document.TotalMinutes));

        // The next year holds what the first one left out: New Year's Day in Shanghai and 3 January.
        var next = await Certificates.GetAsync(volunteer, await Certificates.IssueAsync(volunteer, null, new DateOnly(2027, 1, 1), new DateOnly(2027, 1, 10)));
        Assert.Equal([(_activities.NewYearsDayEarly, 45), (_activities.January3, 60)], next.Lines.Select(l => (l.ActivityId, l.Minutes)));
        Assert.Equal((105, 2), (next.TotalMinutes, next.ActivityCount));

        await using var db = _host.NewDb();
        var stored = await db.ServiceCertificates.AsNoTracking().SingleAsync(c => c.Id == id);
        Assert.Equal((180, 2, _city.Community.Id), (stored.TotalMinutes, stored.ActivityCount, stored.IssuedByOrgNodeId));
        var audit = await db.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == "certificate.issued" && a.EntityId == id.ToString());
        Assert.Equal(_volunteer, audit.ActorUserId);
        Assert.Contains("\"TotalMinutes\":180", audit.After);
    }

    [Fact]
    public async Task ACertificate_IsASnapshot_ALaterCorrectionDoesNotChangeItsLines()
    {
        var entry = await CreditAsync(_volunteer, _activities.December5, 120);
        var volunteer = await SignInAsync(Holder);
        var id = await Certificates.IssueAsync(volunteer, null, Year2026From, Year2026To);

        await CreditAsync(_volunteer, _activities.December5, -60, HoursKind.Correction, $"correction:{entry}");
        var document = await Certificates.GetAsync(volunteer, id);
        var reissued = await Certificates.GetAsync(volunteer, await Certificates.IssueAsync(volunteer, null, Year2026From, Year2026To));

        Assert.Equal(120, document.TotalMinutes);
        Assert.Equal(120, Assert.Single(document.Lines).Minutes);
        Assert.Equal(60, reissued.TotalMinutes);
        Assert.Equal(60, Assert.Single(reissued.Lines).Minutes);
    }

    [Fact]
    public async Task TheToken_Verifies_ShowingTheNameAndTotals()
    {
        var id = await IssueWithHoursAsync();
        var document = await Certificates.GetAsync(await SignInAsync(Holder), id);

        var result = await Certificates.VerifyAsync(document.Token);

        Assert.Equal(CertificateCheck.Genuine, result.Check);
        Assert.Equal(("王志刚", 150, 1, "东湖社区"), (result.RealName, result.TotalMinutes, result.ActivityCount, result.IssuedBy));
        Assert.Equal((Year2026From, Year2026To), (result.PeriodFrom, result.PeriodTo));
        Assert.Equal(_host.Clock.GetUtcNow().UtcDateTime, result.IssuedAtUtc);
        Assert.Null(result.RevokedAtUtc);
        Assert.Equal(CertificateTokens.TokenLength, document.Token.Length);
        Assert.Equal(24, document.Token.Length);
    }

    [Fact]
    public async Task ChangingAnyCharacter_OrTruncating_OrExtending_IsRefused()
    {
        var id = await IssueWithHoursAsync();
        var token = Certificates.TokenOf(id);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

        for (var i = 0; i < token.Length; i++)
        {
            // Two different replacements per position: the next character of the alphabet and one far away.
            foreach (var shift in new[] { 1, 32 })
            {
                var replacement = alphabet[(alphabet.IndexOf(token[i]) + shift) % alphabet.Length];
                var tampered = token[..i] + replacement + token[(i + 1)..];
                Assert.Equal(CertificateCheck.Invalid, (await Certificates.VerifyAsync(tampered)).Check);
            }
        }

        foreach (var broken in new[] { token[..^1], token[1..], token + "A", token.ToUpperInvariant(), token.ToLowerInvariant(), "", "   ", "not-a-token", token.Replace('A', '+'), token[..12] + "=" + token[13..] })
        {
            if (broken != token)
            {
                Assert.Equal(CertificateCheck.Invalid, (await Certificates.VerifyAsync(broken)).Check);
            }
        }

        Assert.Equal(CertificateCheck.Invalid, (await Certificates.VerifyAsync(null)).Check);
        Assert.Equal(CertificateCheck.Genuine, (await Certificates.VerifyAsync(token)).Check);
    }

    [Fact]
    public async Task AnotherCertificatesTag_AnIdWithoutACertificate_AndOtherSignedCodes_AreRefused()
    {
        var first = await IssueWithHoursAsync();
        var second = await Certificates.IssueAsync(await SignInAsync(Holder), null, new DateOnly(2026, 12, 1), Year2026To);
        var firstBytes = Base64Url.DecodeFromChars(Certificates.TokenOf(first));
        var secondBytes = Base64Url.DecodeFromChars(Certificates.TokenOf(second));

        // The first certificate's id with the second one's tag, and the other way round.
        Assert.Equal(CertificateCheck.Invalid, (await Certificates.VerifyAsync(Base64Url.EncodeToString([.. firstBytes[..4], .. secondBytes[4..]]))).Check);
        Assert.Equal(CertificateCheck.Invalid, (await Certificates.VerifyAsync(Base64Url.EncodeToString([.. secondBytes[..4], .. firstBytes[4..]]))).Check);
        // Correctly signed, but no such certificate.
        Assert.Equal(CertificateCheck.Invalid, (await Certificates.VerifyAsync(Certificates.TokenOf(second + 1000))).Check);
        // A redemption voucher signed with the same deployment key under its own label.
        Assert.Equal(CertificateCheck.Invalid, (await Certificates.VerifyAsync(_host.Get<Vouchers>().Issue(first))).Check);
        // The same id and tag length under another deployment's key.
        await using (var other = await FeatureHost.CreateAsync(demoData: false))
        {
            // Test databases are copies of one template, keys included: this one becomes another deployment.
            await using (var db = other.NewDb())
            {
                await db.SigningKeys.ExecuteUpdateAsync(s => s.SetProperty(k => k.Value, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
            }

            Assert.Equal(CertificateCheck.Invalid, (await Certificates.VerifyAsync(other.Get<CertificateTokens>().Issue(first))).Check);
        }

        Assert.Equal(CertificateCheck.Genuine, (await Certificates.VerifyAsync(Certificates.TokenOf(second))).Check);
    }

    [Fact]
    public async Task ARevokedCertificate_VerifiesAsRevoked_AndCannotBeRevokedTwice()
    {
        var id = await IssueWithHoursAsync();
        var volunteer = await SignInAsync(Holder);
        _host.Clock.Advance(TimeSpan.FromDays(2));

        await Certificates.RevokeAsync(volunteer, id);
        var result = await Certificates.VerifyAsync(Certificates.TokenOf(id));

        Assert.Equal(CertificateCheck.Revoked, result.Check);
        Assert.Equal(_host.Clock.GetUtcNow().UtcDateTime, result.RevokedAtUtc);
        Assert.Equal(150, result.TotalMinutes);
        var again = await Assert.ThrowsAsync<DomainException>(() => Certificates.RevokeAsync(volunteer, id));
        Assert.Equal("Certificate.AlreadyRevoked", again.Code);
        Assert.NotNull((await Certificates.ListAsync(volunteer)).Single(c => c.Id == id).RevokedAtUtc);
        await using var db = _host.NewDb();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "certificate.revoked" && a.EntityId == id.ToString()));
    }

    [Fact]
    public async Task TheOrganizerOfTheCommunity_IssuesForItsVolunteer_InTheOrganizersName()
    {
        await CreditAsync(_volunteer, _activities.December5, 150);
        var organizer = await SignInAsync(TestCity.OrganizerPhone);

        var id = await Certificates.IssueAsync(organizer, _volunteer, Year2026From, Year2026To);
        var document = await Certificates.GetAsync(organizer, id);

        Assert.Equal(("王志刚", 150), (document.RealName, document.TotalMinutes));
        Assert.Equal("东湖社区", document.IssuedBy);
        Assert.Contains(await Certificates.ListAsync(organizer, _volunteer), c => c.Id == id);
        Assert.Contains(await Certificates.ListAsync(await SignInAsync(Holder)), c => c.Id == id);
        // The city's Admin issues in the city's name.
        var admin = await Certificates.GetAsync(await SignInAsync(TestCity.AdminPhone), await Certificates.IssueAsync(await SignInAsync(TestCity.AdminPhone), _volunteer, Year2026From, Year2026To));
        Assert.Equal("测试市", admin.IssuedBy);
    }

    [Fact]
    public async Task TheOrganizerOfAnotherCommunity_IsRefused_Everything()
    {
        var id = await IssueWithHoursAsync();
        var heping = await SignInAsync(TestCity.OtherOrganizerPhone);

        await Assert.ThrowsAsync<AccessDeniedException>(() => Certificates.IssueAsync(heping, _volunteer, Year2026From, Year2026To));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Certificates.GetAsync(heping, id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Certificates.ListAsync(heping, _volunteer));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Certificates.RevokeAsync(heping, id));
        Assert.Equal(CertificateCheck.Genuine, (await Certificates.VerifyAsync(Certificates.TokenOf(id))).Check);
    }

    [Fact]
    public async Task AVolunteer_CannotIssueForSomeoneElse_NorReadTheirs()
    {
        await CreditAsync(_resident, _activities.December5, 120);
        var residentsOwn = await Certificates.IssueAsync(await SignInAsync(TestCity.ResidentPhone), null, Year2026From, Year2026To);
        var volunteer = await SignInAsync(Holder);

        await Assert.ThrowsAsync<AccessDeniedException>(() => Certificates.IssueAsync(volunteer, _resident, Year2026From, Year2026To));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Certificates.IssueAsync(volunteer, 999_999, Year2026From, Year2026To));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Certificates.GetAsync(volunteer, residentsOwn));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Certificates.ListAsync(volunteer, _resident));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Certificates.RevokeAsync(volunteer, residentsOwn));
        await using var db = _host.NewDb();
        Assert.Equal(1, await db.ServiceCertificates.CountAsync());
    }

    [Theory]
    [InlineData("2026-01-01", "2027-01-11", "Certificate.PeriodInFuture")]
    [InlineData("2026-12-31", "2026-01-01", "Certificate.PeriodReversed")]
    [InlineData("2024-01-10", "2027-01-10", "Certificate.PeriodTooLong")]
    [InlineData("2026-01-01", "2026-11-30", "Certificate.NoService")]
    public async Task APeriodOutsideTheRules_OrWithoutService_IsRefused(string from, string to, string code)
    {
        await CreditAsync(_volunteer, _activities.December5, 120);

        var volunteer = await SignInAsync(Holder);

        var refused = await Assert.ThrowsAsync<DomainException>(() =>
            Certificates.IssueAsync(volunteer, null, DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(code, refused.Code);
        await using var db = _host.NewDb();
        Assert.Equal(0, await db.ServiceCertificates.CountAsync());
    }

    [Fact]
    public async Task ThreeYears_ToTheDay_AreAllowed()
    {
        await CreditAsync(_volunteer, _activities.December5, 120);

        var id = await Certificates.IssueAsync(await SignInAsync(Holder), null, new DateOnly(2024, 1, 11), new DateOnly(2027, 1, 10));

        Assert.True(id > 0);
    }

    private async Task<int> IssueWithHoursAsync()
    {
        await CreditAsync(_volunteer, _activities.December5, 150);
        return await Certificates.IssueAsync(await SignInAsync(Holder), null, Year2026From, Year2026To);
    }

    private async Task<long> CreditAsync(int userId, int activityId, int minutes, HoursKind kind = HoursKind.Attendance, string? source = null)
    {
        await using var db = _host.NewDb();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var entry = await _host.Get<Ledger>().PostHoursAsync(db, userId, minutes, kind, source ?? $"attendance:test-{Guid.NewGuid():N}",
            _host.Clock.GetUtcNow().UtcDateTime, activityId, kind == HoursKind.Correction ? "签退时间有误" : null);
        await transaction.CommitAsync();
        return entry!.Id;
    }

    private Task<ClaimsPrincipal> SignInAsync(string phone) => _host.SignInAsAsync(phone);

    private static DateTime Utc(int year, int month, int day, int hour, int minute) => new(year, month, day, hour, minute, 0, DateTimeKind.Utc);

    private sealed record Activities(int December5, int December20, int NewYearsEveLate, int NewYearsDayEarly, int January3);
}
