using DezhiHub.Domain;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web.Resources;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace DezhiHub.Web.Components.Shared;

/// <summary>
/// Runs a page action and turns the expected failures (a broken rule, no permission) into a localized
/// snackbar. Nothing is half-done: services change nothing when they refuse.
/// </summary>
public sealed class UiFeedback(ISnackbar snackbar, IStringLocalizer<Strings> strings)
{
    public async Task<bool> RunAsync(Func<Task> action, string? successKey = null)
    {
        try
        {
            await action();
            if (successKey is not null)
            {
                snackbar.Add(strings[successKey], Severity.Success);
            }

            return true;
        }
        catch (DomainException ex)
        {
            snackbar.Add(strings.Refusal(ex), Severity.Warning);
        }
        catch (AccessDeniedException)
        {
            snackbar.Add(strings["Error.AccessDenied"], Severity.Error);
        }

        return false;
    }
}
