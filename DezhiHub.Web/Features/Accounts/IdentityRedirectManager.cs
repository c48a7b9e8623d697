using DezhiHub.Web.Platform.Identity;
using Microsoft.AspNetCore.Components;

namespace DezhiHub.Web.Features.Accounts;

/// <summary>Redirects from statically rendered account pages; anything but a local path goes home (no open redirects).</summary>
internal sealed class IdentityRedirectManager(NavigationManager navigationManager)
{
    public void RedirectTo(string? uri) => navigationManager.NavigateTo(LocalUrl.OrHome(uri));
}
