using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using DezhiHub.Web.Features.CheckIn;

namespace DezhiHub.Web.Features.Certificates;

/// <summary>
/// The signed ids in certificate QR codes: the certificate id and an HMAC-SHA256 over it truncated to 112 bits, 18
/// bytes, 24 base64url characters. 18 bytes fill the 24 characters exactly, so no character carries spare bits: any
/// change to any character changes the bytes, and the tag no longer matches. The key is derived from the deployment's
/// check-in key under its own label, so a certificate code can never pass for a card, a voucher or a screen code.
/// </summary>
public sealed class CertificateTokens(CheckInKeyStore keys)
{
    /// <summary>The public verification page a certificate's QR code opens; the token is its last segment.</summary>
    public const string PathPrefix = "/verify/";

    private const int PayloadBytes = 4;
    private const int MacBytes = 14;
    private const int TokenBytes = PayloadBytes + MacBytes;
    public static readonly int TokenLength = TokenBytes / 3 * 4;

    private readonly Lazy<byte[]> _key = new(() => HMACSHA256.HashData(keys.Key.ToArray(), Encoding.ASCII.GetBytes("dezhihub certificate v1")));

    public string Issue(int certificateId)
    {
        Span<byte> bytes = stackalloc byte[TokenBytes];
        BinaryPrimitives.WriteInt32BigEndian(bytes[..PayloadBytes], certificateId);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key.Value, bytes[..PayloadBytes], mac);
        mac[..MacBytes].CopyTo(bytes[PayloadBytes..]);
        return System.Buffers.Text.Base64Url.EncodeToString(bytes);
    }

    public bool TryVerify(string? token, out int certificateId)
    {
        certificateId = 0;
        Span<byte> bytes = stackalloc byte[TokenBytes];
        // The alphabet is checked first: the decoder throws, rather than answers false, on a foreign character.
        if (token is null || token.Length != TokenLength || token.AsSpan().ContainsAnyExcept(CheckInTokens.Alphabet)
            || !System.Buffers.Text.Base64Url.TryDecodeFromChars(token, bytes, out var written) || written != TokenBytes)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(_key.Value, bytes[..PayloadBytes], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected[..MacBytes], bytes[PayloadBytes..]))
        {
            return false;
        }

        certificateId = BinaryPrimitives.ReadInt32BigEndian(bytes[..PayloadBytes]);
        return certificateId > 0;
    }
}
