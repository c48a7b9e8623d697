namespace DezhiHub.Web.Features.CheckIn;

public enum ScanKind
{
    Recorded,
    Already,
    Refused,
}

/// <summary>One card read at the door, as the scanner page shows it: who, what happened, when (local time).</summary>
public sealed record Scan(int Number, string? Name, string Message, ScanKind Kind, DateTime AtLocal)
{
    /// <summary>The kind as card-scanner.js and the CSS classes name it.</summary>
    public static string NameOf(ScanKind kind) => kind switch
    {
        ScanKind.Recorded => "recorded",
        ScanKind.Already => "already",
        _ => "refused",
    };

    public static string IconOf(ScanKind kind) => kind switch
    {
        ScanKind.Recorded => MudBlazor.Icons.Material.Filled.CheckCircle,
        ScanKind.Already => MudBlazor.Icons.Material.Filled.Info,
        _ => MudBlazor.Icons.Material.Filled.Cancel,
    };
}
