using System.Globalization;

namespace DezhiHub.Bench;

/// <summary>
/// Writes the machine-readable last line: <c>RESULT &lt;scenario&gt; key=value key=value …</c>.
/// Values are plain numbers (invariant culture, no units); units belong in the key, e.g. <c>ready_ms</c>.
/// </summary>
internal static class ResultLine
{
    public static void Write(string scenario, params ReadOnlySpan<(string Key, double Value)> values) => Write(scenario, null, values);

    /// <summary>The same with <c>provider=sqlite|postgres</c> first, for the scenarios that run on either engine.</summary>
    public static void Write(string scenario, string? provider, params ReadOnlySpan<(string Key, double Value)> values)
    {
        var parts = new List<string> { "RESULT", scenario };
        if (provider is not null)
        {
            parts.Add($"provider={provider}");
        }

        foreach (var (key, value) in values)
        {
            if (key.Length == 0 || key.Any(c => char.IsWhiteSpace(c) || c == '='))
            {
                throw new ArgumentException($"Invalid RESULT key '{key}'.", nameof(values));
            }

            parts.Add($"{key}={value.ToString("0.###", CultureInfo.InvariantCulture)}");
        }

        Console.Out.Flush();
        Console.WriteLine(string.Join(' ', parts));
        Console.Out.Flush();
    }
}
