namespace DezhiHub.Web.Features.CheckIn;

/// <summary>
/// Decoding of the app's signed base64url tokens (check-in codes, volunteer cards). Only the exact spelling the app
/// issues is accepted: a token whose last character differs only in bits the bytes do not use is refused (the
/// decoder would throw on it, not answer false), so every token has one spelling and no input can raise an error.
/// </summary>
internal static class Base64UrlToken
{
    public static bool TryDecode(string? token, int length, Span<byte> bytes)
    {
        if (token is null || token.Length != length || token.AsSpan().ContainsAnyExcept(CheckInTokens.Alphabet))
        {
            return false;
        }

        try
        {
            return System.Buffers.Text.Base64Url.TryDecodeFromChars(token, bytes, out var written) && written == bytes.Length
                && System.Buffers.Text.Base64Url.EncodeToString(bytes) == token;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
