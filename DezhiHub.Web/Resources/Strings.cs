namespace DezhiHub.Web.Resources;

/// <summary>Marker for the app's UI strings: Strings.zh-CN.resx (default) and Strings.en-US.resx.</summary>
public sealed class Strings;

/// <summary>Marker for MudBlazor's own UI strings, translated in MudStrings.*.resx.</summary>
public sealed class MudStrings;
