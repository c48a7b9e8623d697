using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using DezhiHub.Web.Features.CheckIn;

namespace DezhiHub.Web.Features.Market;

/// <summary>
/// The signed codes of redemption vouchers (兑换券): the redemption id and an HMAC-SHA256 over it truncated to 96 bits,
/// 16 bytes, 22 base64url characters — short enough to read out or type. The key is derived from the deployment's
/// check-in key under its own label, so a voucher can never pass for a card or a screen code, nor the other way round.
/// A voucher does not expire by itself: the redemption it names does.
/// </summary>
public sealed class Vouchers(CheckInKeyStore keys)
{
    /// <summary>The path a voucher's QR code opens; the token is its last segment.</summary>
    public const string PathPrefix = "/market/vouchers/";

    private const int PayloadBytes = 4;
    private const int MacBytes = 12;
    private const int TokenBytes = PayloadBytes + MacBytes;
    public static readonly int TokenLength = ((TokenBytes * 4) + 2) / 3;

    private readonly Lazy<byte[]> _key = new(() => HMACSHA256.HashData(keys.Key.ToArray(), Encoding.ASCII.GetBytes("dezhihub market voucher v1")));

    public string Issue(int redemptionId)
    {
        Span<byte> bytes = stackalloc byte[TokenBytes];
        BinaryPrimitives.WriteInt32BigEndian(bytes[..PayloadBytes], redemptionId);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key.Value, bytes[..PayloadBytes], mac);
        mac[..MacBytes].CopyTo(bytes[PayloadBytes..]);
        return System.Buffers.Text.Base64Url.EncodeToString(bytes);
    }

    /// <summary>Checks a typed or scanned code (a bare token, grouped with spaces, or the whole voucher URL).</summary>
    public bool TryVerify(string? scanned, out int redemptionId)
    {
        redemptionId = 0;
        var token = TokenOf(scanned);
        Span<byte> bytes = stackalloc byte[TokenBytes];
        if (token is null || token.Length != TokenLength || token.AsSpan().ContainsAnyExcept(CheckInTokens.Alphabet) || !TryDecode(token, bytes))
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(_key.Value, bytes[..PayloadBytes], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected[..MacBytes], bytes[PayloadBytes..]))
        {
            return false;
        }

        redemptionId = BinaryPrimitives.ReadInt32BigEndian(bytes[..PayloadBytes]);
        return redemptionId > 0;
    }

    /// <summary>
    /// Decodes a token of the right length and alphabet. The decoder throws, rather than answers false, on a last
    /// character whose four unused bits are set; and only the one spelling this service issues is accepted.
    /// </summary>
    private static bool TryDecode(string token, Span<byte> bytes)
    {
        try
        {
            return System.Buffers.Text.Base64Url.TryDecodeFromChars(token, bytes, out var written) && written == TokenBytes
                && System.Buffers.Text.Base64Url.EncodeToString(bytes) == token;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The code as a person reads it, in groups of four ("AbCd EfGh …"); spaces are ignored when it is typed.</summary>
    public static string Grouped(string token)
    {
        var builder = new StringBuilder(token.Length + 6);
        for (var i = 0; i < token.Length; i++)
        {
            if (i > 0 && i % 4 == 0)
            {
                builder.Append(' ');
            }

            builder.Append(token[i]);
        }

        return builder.ToString();
    }

    /// <summary>The token inside what was typed or scanned: a voucher URL's last segment, without spaces.</summary>
    public static string? TokenOf(string? scanned)
    {
        var text = scanned?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var slash = text.LastIndexOf('/');
        var token = slash >= 0 ? text[(slash + 1)..] : text;
        var end = token.IndexOfAny(['?', '#']);
        token = end >= 0 ? token[..end] : token;
        return string.Concat(token.Where(c => !char.IsWhiteSpace(c)));
    }
}
