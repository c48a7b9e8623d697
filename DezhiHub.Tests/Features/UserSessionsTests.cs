using System.Security.Claims;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Platform.Identity;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Tests.Features;

/// <summary>Server-side sessions: open until signed out, ended everywhere at once, and never older than a week.</summary>
public sealed class UserSessionsTests : IAsyncLifetime
{
    private FeatureHost _host = default!;
    private TestCity _city = default!;

    public async Task InitializeAsync()
    {
        _host = await FeatureHost.CreateAsync(demoData: false);
        _city = await TestCity.CreateAsync(_host);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private UserSessions Sessions => _host.Get<UserSessions>();

    [Fact]
    public async Task ASession_IsOpenUntilSignedOut_AndOnlyForItsOwnUser()
    {
        var volunteer = _city.Volunteer.Principal;
        var signedIn = await WithSessionAsync(volunteer);
        Assert.True(await Sessions.IsOpenAsync(signedIn));

        // The same session id presented with another person's id is nobody's session.
        var resident = _city.Resident.Principal;
        var forged = new ClaimsPrincipal(new ClaimsIdentity([.. resident.Claims, signedIn.FindFirst(UserSessions.ClaimType)!], "test"));
        Assert.False(await Sessions.IsOpenAsync(forged));
        Assert.False(await Sessions.IsOpenAsync(volunteer));

        await Sessions.EndAsync(signedIn);
        Assert.False(await Sessions.IsOpenAsync(signedIn));
    }

    [Fact]
    public async Task EndingAll_ClosesEveryBrowserOfThatPerson_AndNobodyElses()
    {
        var volunteer = _city.Volunteer.Principal;
        var phone = await WithSessionAsync(volunteer);
        var desktop = await WithSessionAsync(volunteer);
        var other = await WithSessionAsync(_city.Resident.Principal);
        Assert.True(await Sessions.IsOpenAsync(phone));
        Assert.True(await Sessions.IsOpenAsync(other));

        Assert.Equal(2, await Sessions.EndAllAsync(volunteer.UserId()!.Value));

        Assert.False(await Sessions.IsOpenAsync(phone));
        Assert.False(await Sessions.IsOpenAsync(desktop));
        Assert.True(await Sessions.IsOpenAsync(other));
    }

    [Fact]
    public async Task ASession_EndsAfterAWeek_HoweverActive_AndIsForgottenADayLater()
    {
        var session = await WithSessionAsync(_city.Volunteer.Principal);

        _host.Clock.Advance(UserSessions.AbsoluteLifetime - TimeSpan.FromMinutes(1));
        Assert.True(await Sessions.IsOpenAsync(session));
        _host.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.False(await Sessions.IsOpenAsync(session));

        Assert.Equal(0, await Sessions.RemoveOldAsync());
        _host.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        Assert.Equal(1, await Sessions.RemoveOldAsync());
    }

    [Fact]
    public async Task AnOpenSession_IsBelievedForHalfAMinute_WithoutAskingTheDatabase_ThenCheckedAgain()
    {
        var session = await WithSessionAsync(_city.Volunteer.Principal);
        Assert.True(await Sessions.IsOpenAsync(session));

        // Ended behind this instance's back (another instance, or the database directly).
        await using (var db = _host.NewDb())
        {
            var id = session.FindFirstValue(UserSessions.ClaimType);
            await db.UserSessions.Where(s => s.Id == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAtUtc, DateTime.UtcNow));
        }

        Assert.True(await Sessions.IsOpenAsync(session));
        _host.Clock.Advance(UserSessions.RecheckAfter);
        Assert.False(await Sessions.IsOpenAsync(session));
    }

    private async Task<ClaimsPrincipal> WithSessionAsync(ClaimsPrincipal principal)
    {
        var id = await Sessions.StartAsync(principal.UserId()!.Value);
        return new ClaimsPrincipal(new ClaimsIdentity([.. principal.Claims, new Claim(UserSessions.ClaimType, id)], "test"));
    }
}
