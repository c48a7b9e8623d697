using System.Net;
using DezhiHub.Tests.Infrastructure;

namespace DezhiHub.Tests.Web;

/// <summary>
/// Signing out ends the session on the server (ASVS 5.0 V7): a copy of the cookie taken before is refused afterwards,
/// and "sign out everywhere" ends every browser of the account.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class SessionTests(AppFactory app)
{
    [Fact]
    public async Task ACookieSavedBeforeSigningOut_IsRefusedAfterwards()
    {
        using var admin = app.NewClient();
        Assert.True(await admin.SignInAsync(Demo.Admin));
        var saved = admin.Cookies.GetCookieHeader(app.BaseAddress);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/users")).StatusCode);

        using var signOut = await admin.SubmitFormAsync("/account/profile", "/account/logout", new Dictionary<string, string> { ["returnUrl"] = "/" });
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);

        using var replay = app.NewClient();
        replay.Cookies.SetCookies(app.BaseAddress, saved.Replace("; ", ",", StringComparison.Ordinal));
        using var response = await replay.GetAsync("/admin/users");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/login", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task SigningOutEverywhere_EndsTheOtherBrowsersToo_AndASecondSignInWorks()
    {
        using var phone = app.NewClient();
        using var desktop = app.NewClient();
        Assert.True(await phone.SignInAsync(Demo.OrganizerHeping));
        Assert.True(await desktop.SignInAsync(Demo.OrganizerHeping));
        Assert.Equal(HttpStatusCode.OK, (await desktop.GetAsync("/volunteers")).StatusCode);

        using var everywhere = await phone.SubmitFormAsync("/account/profile", "/account/sign-out-everywhere", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, everywhere.StatusCode);

        using (var response = await desktop.GetAsync("/volunteers"))
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Contains("/account/login", response.Headers.Location?.OriginalString);
        }

        using (var response = await phone.GetAsync("/volunteers"))
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        Assert.True(await desktop.SignInAsync(Demo.OrganizerHeping));
        Assert.Equal(HttpStatusCode.OK, (await desktop.GetAsync("/volunteers")).StatusCode);
    }
}
