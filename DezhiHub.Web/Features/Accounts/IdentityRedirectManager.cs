using Microsoft.AspNetCore.Components;

namespace DezhiHub.Web.Features.Accounts;

/// <summary>Redirects from statically rendered account pages; anything but a local path goes home (no open redirects).</summary>
internal sealed class IdentityRedirectManager(NavigationManager navigationManager)
{
    public void RedirectTo(string? uri) => navigationManager.NavigateTo(IsLocal(uri) ? uri! : "/");

    public static bool IsLocal(string? uri) =>
        !string.IsNullOrEmpty(uri) && uri[0] == '/' && (uri.Length == 1 || (uri[1] != '/' && uri[1] != '\\'));
}
