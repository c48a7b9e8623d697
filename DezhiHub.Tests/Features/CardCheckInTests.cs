using DezhiHub.Domain.Activities;
using DezhiHub.Domain.Attendance;
using DezhiHub.Domain;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Activities;
using DezhiHub.Web.Features.CheckIn;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Identity;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Tests.Features;

/// <summary>
/// <see cref="CheckInService.RecordByCardAsync"/>: what the organizer's scanner records for a volunteer card, and
/// which cards it refuses. The test city's volunteer is signed up; the organizer is its community's.
/// </summary>
public sealed class CardCheckInTests : IAsyncLifetime
{
    private static readonly DateTime Start = new(2026, 12, 31, 1, 0, 0, DateTimeKind.Utc); // 09:00 in Shanghai

    private FeatureHost _host = default!;
    private TestCity _city = default!;
    private int _activityId;

    public async Task InitializeAsync()
    {
        _host = await FeatureHost.CreateAsync(demoData: false);
        _city = await TestCity.CreateAsync(_host);
        _activityId = await _city.PublishedActivityAsync(Start, "志愿者卡签到");
        await _host.Scoped<SignUpService>().SignUpAsync(_city.Volunteer.Principal, _activityId);
        _host.Clock.SetUtcNow(Start.AddHours(-1)); // before the door opens; the tests move on to DoorOpen
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private CheckInService Service => _host.Scoped<CheckInService>();

    [Fact]
    public async Task ACardWithAnyCharacterChanged_IsInvalid_WithoutAnError()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var cards = _host.Scoped<VolunteerCards>();
        var token = (await cards.MineAsync(_city.Volunteer.Principal)).Token;
        Assert.Equal(CardCheck.Valid, (await cards.ReadAsync(token)).Check);
        for (var i = 0; i < token.Length; i++)
        {
            foreach (var c in alphabet.Where(c => c != token[i]))
            {
                var tampered = string.Concat(token.AsSpan(0, i), c.ToString(), token.AsSpan(i + 1));
                Assert.False(cards.TryVerify(tampered, out _, out _), tampered);
            }
        }
    }

    [Fact]
    public async Task AValidCard_ChecksItsHolderIn_AsACardCheckIn_RecordedByTheOrganizer()
    {
        var organizer = _city.Organizer.Principal;
        var card = await CardAsync(_city.Volunteer.Phone);
        DoorOpen();

        var (result, holder) = await Service.RecordByCardAsync(organizer, _activityId, $"https://dezhihub.example.cn{VolunteerCards.PathPrefix}{card.Token}", CheckInPurpose.CheckIn);

        Assert.Equal((CheckInOutcome.CheckedIn, Start.AddMinutes(-5)), (result.Outcome, result.AtUtc));
        Assert.Equal((_city.Volunteer.Name, card.UserId), (holder.RealName, holder.UserId));
        await using var db = _host.NewDb();
        var record = await db.Attendance.AsNoTracking().SingleAsync(a => a.ActivityId == _activityId);
        Assert.Equal((card.UserId, CheckInMethod.Card, organizer.RequiredUserId()), (record.UserId, record.CheckInMethod, record.RecordedByUserId));
        Assert.Null(record.ManualReason);
    }

    [Fact]
    public async Task TheBareToken_AndTheWholeUrl_NameTheSameCard()
    {
        var organizer = _city.Organizer.Principal;
        var card = await CardAsync(_city.Volunteer.Phone);
        DoorOpen();

        var typed = await Service.RecordByCardAsync(organizer, _activityId, $"  {card.Token} ", CheckInPurpose.CheckIn);
        _host.Clock.Advance(TimeSpan.FromMinutes(2));
        var scanned = await Service.RecordByCardAsync(organizer, _activityId, $"http://127.0.0.1:5000/card/{card.Token}", CheckInPurpose.CheckIn);
        _host.Clock.Advance(TimeSpan.FromMinutes(90));
        var leaving = await Service.RecordByCardAsync(organizer, _activityId, $"https://dezhihub.example.cn/card/{card.Token}?from=wechat", CheckInPurpose.CheckOut);

        Assert.Equal(CheckInOutcome.CheckedIn, typed.Result.Outcome);
        Assert.Equal((CheckInOutcome.AlreadyCheckedIn, typed.Result.AtUtc), (scanned.Result.Outcome, scanned.Result.AtUtc));
        Assert.Equal(CheckInOutcome.CheckedOut, leaving.Result.Outcome);
        await using var db = _host.NewDb();
        var record = await db.Attendance.AsNoTracking().SingleAsync(a => a.ActivityId == _activityId);
        Assert.Equal((CheckInMethod.Card, CheckInMethod.Card), (record.CheckInMethod, record.CheckOutMethod));
    }

    [Fact]
    public async Task AReissuedCard_IsRevoked_NamingItsHolder_AndRecordsNothing_WhileTheNewCardWorks()
    {
        var organizer = _city.Organizer.Principal;
        var volunteer = _city.Volunteer.Principal;
        var old = await CardAsync(_city.Volunteer.Phone);
        var renewed = await _host.Scoped<VolunteerCards>().ReissueAsync(volunteer);
        DoorOpen();

        var refused = await Assert.ThrowsAsync<DomainException>(() => Service.RecordByCardAsync(organizer, _activityId, old.Token, CheckInPurpose.CheckIn));

        Assert.Equal("Card.Revoked", refused.Code);
        Assert.Equal(_city.Volunteer.Name, refused.Args[0]);
        Assert.Equal(0, await AttendanceCountAsync());
        Assert.NotEqual(old.Token, renewed.Token);
        Assert.Equal(CheckInOutcome.CheckedIn, (await Service.RecordByCardAsync(organizer, _activityId, renewed.Token, CheckInPurpose.CheckIn)).Result.Outcome);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("screen code")]
    [InlineData("forged")]
    [InlineData("unknown person")]
    public async Task AnythingButAVolunteerCard_IsAnInvalidCard_AndRecordsNothing(string kind)
    {
        var organizer = _city.Organizer.Principal;
        var card = await CardAsync(_city.Volunteer.Phone);
        var scanned = kind switch
        {
            // The check-in screen's own code, signed with the same deployment key, is not a card.
            "screen code" => $"https://dezhihub.example.cn/checkin/{_host.Get<CheckInTokens>().Issue(_activityId, CheckInPurpose.CheckIn)}",
            "forged" => string.Concat(card.Token[..20], card.Token[20] == 'A' ? "B" : "A", card.Token[21..]), // a character of the signature
            "unknown person" => _host.Scoped<VolunteerCards>().Issue(987_654, 1),
            _ => kind,
        };
        DoorOpen();

        var refused = await Assert.ThrowsAsync<DomainException>(() => Service.RecordByCardAsync(organizer, _activityId, scanned, CheckInPurpose.CheckIn));

        Assert.Equal("Card.Invalid", refused.Code);
        Assert.Equal(0, await AttendanceCountAsync());
    }

    [Fact]
    public async Task AnOrganizerOfAnotherCommunity_IsDenied_AndNothingIsRecorded()
    {
        var elsewhere = _city.OtherOrganizer.Principal;
        var card = await CardAsync(_city.Volunteer.Phone);
        DoorOpen();

        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.RecordByCardAsync(elsewhere, _activityId, card.Token, CheckInPurpose.CheckIn));

        Assert.Equal(0, await AttendanceCountAsync());
    }

    [Fact]
    public async Task TheActivitysRulesStillApply_ToACard()
    {
        var organizer = _city.Organizer.Principal;
        var notSignedUp = await CardAsync(_city.Partner.Phone);
        var volunteer = await CardAsync(_city.Volunteer.Phone);

        var early = await Assert.ThrowsAsync<DomainException>(() => Service.RecordByCardAsync(organizer, _activityId, volunteer.Token, CheckInPurpose.CheckIn));
        DoorOpen();
        var stranger = await Assert.ThrowsAsync<DomainException>(() => Service.RecordByCardAsync(organizer, _activityId, notSignedUp.Token, CheckInPurpose.CheckIn));
        var leavingFirst = await Assert.ThrowsAsync<DomainException>(() => Service.RecordByCardAsync(organizer, _activityId, volunteer.Token, CheckInPurpose.CheckOut));

        Assert.Equal(("CheckIn.NotSignedUp", "CheckIn.NotCheckedIn", "CheckIn.NotStarted"), (stranger.Code, leavingFirst.Code, early.Code));
        Assert.Equal(0, await AttendanceCountAsync());
    }

    /// <summary>Five minutes before the start: check-in is open (from half an hour before).</summary>
    private void DoorOpen() => _host.Clock.SetUtcNow(Start.AddMinutes(-5));

    private async Task<VolunteerCard> CardAsync(string phone) =>
        await _host.Scoped<VolunteerCards>().MineAsync(await _host.SignInAsAsync(phone));

    private async Task<int> AttendanceCountAsync()
    {
        await using var db = _host.NewDb();
        return await db.Attendance.CountAsync(a => a.ActivityId == _activityId);
    }
}
