using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace DezhiHub.Domain.Accounts;

/// <summary>
/// A mainland China mobile number (11 digits, starting 13–19). Accepts the forms people type —
/// spaces, dashes, a +86 / 0086 prefix — and keeps the bare 11 digits, which is also the sign-in name.
/// </summary>
public static partial class MainlandMobile
{
    public const int Length = 11;

    public static bool TryNormalize(string? input, [NotNullWhen(true)] out string? normalized)
    {
        normalized = null;
        if (string.IsNullOrWhiteSpace(input) || input.Length > 32)
        {
            return false;
        }

        var digits = Separators().Replace(input.Trim(), "");
        if (digits.StartsWith("+86", StringComparison.Ordinal))
        {
            digits = digits[3..];
        }
        else if (digits.StartsWith("0086", StringComparison.Ordinal))
        {
            digits = digits[4..];
        }
        else if (digits.Length == 13 && digits.StartsWith("86", StringComparison.Ordinal))
        {
            digits = digits[2..];
        }

        if (!Mobile().IsMatch(digits))
        {
            return false;
        }

        normalized = digits;
        return true;
    }

    /// <summary>138****1234 — for lists where the full number is not needed.</summary>
    public static string Mask(string normalized) =>
        normalized.Length == Length ? $"{normalized[..3]}****{normalized[7..]}" : normalized;

    [GeneratedRegex(@"[\s\-()]")]
    private static partial Regex Separators();

    [GeneratedRegex(@"^1[3-9][0-9]{9}$")]
    private static partial Regex Mobile();
}
