using DezhiHub.Web.Resources;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace DezhiHub.Web.Platform.Localization;

/// <summary>Gives MudBlazor's built-in texts (pager, pickers, dialogs…) in the current UI culture.</summary>
internal sealed class AppMudLocalizer(IStringLocalizer<MudStrings> strings) : MudLocalizer
{
    public override LocalizedString this[string key] => strings[key];
}
