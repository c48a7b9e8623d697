using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace DezhiHub.Web.Platform.Signing;

/// <summary>
/// The app's signed codes — screen codes, volunteer cards, vouchers, certificates: a small payload followed by an
/// HMAC-SHA256 over it truncated to <c>macBytes</c>, written in base64url. Each kind signs with its own key derived
/// from the deployment's check-in key under its own label (<see cref="Derived"/>), so no code passes for another kind.
/// Only the exact spelling issued is accepted: a last character differing only in bits the bytes do not use (which
/// the decoder would throw on) is refused, so every code has one spelling and no input can raise an error.
/// </summary>
public sealed class TokenSigner
{
    private static readonly System.Buffers.SearchValues<char> Alphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private readonly Lazy<byte[]> _key;
    private readonly int _payloadBytes;
    private readonly int _macBytes;

    private TokenSigner(Func<byte[]> key, int payloadBytes, int macBytes)
    {
        _key = new Lazy<byte[]>(key);
        _payloadBytes = payloadBytes;
        _macBytes = macBytes;
        TokenLength = (((payloadBytes + macBytes) * 4) + 2) / 3;
    }

    /// <summary>Characters in a code.</summary>
    public int TokenLength { get; }

    /// <summary>Signs with the deployment's check-in key itself (the rotating screen codes).</summary>
    public static TokenSigner Master(CheckInKeyStore keys, int payloadBytes, int macBytes) =>
        new(() => keys.Key.ToArray(), payloadBytes, macBytes);

    /// <summary>Signs with a key derived from the check-in key under <paramref name="label"/>.</summary>
    public static TokenSigner Derived(CheckInKeyStore keys, string label, int payloadBytes, int macBytes) =>
        new(() => HMACSHA256.HashData(keys.Key.ToArray(), Encoding.ASCII.GetBytes(label)), payloadBytes, macBytes);

    public string Sign(ReadOnlySpan<byte> payload)
    {
        Span<byte> bytes = stackalloc byte[_payloadBytes + _macBytes];
        payload.CopyTo(bytes);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key.Value, bytes[.._payloadBytes], mac);
        mac[.._macBytes].CopyTo(bytes[_payloadBytes..]);
        return System.Buffers.Text.Base64Url.EncodeToString(bytes);
    }

    /// <summary>Checks a code's spelling and signature; on success <paramref name="payload"/> holds what was signed.</summary>
    public bool TryOpen(string? token, Span<byte> payload)
    {
        Span<byte> bytes = stackalloc byte[_payloadBytes + _macBytes];
        if (!TryDecode(token, bytes))
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(_key.Value, bytes[.._payloadBytes], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected[.._macBytes], bytes[_payloadBytes..]))
        {
            return false;
        }

        bytes[.._payloadBytes].CopyTo(payload);
        return true;
    }

    /// <summary>Signs a positive id, the payload of vouchers and certificates (4 bytes, big-endian).</summary>
    public string SignId(int id)
    {
        Span<byte> bytes = stackalloc byte[sizeof(int)];
        BinaryPrimitives.WriteInt32BigEndian(bytes, id);
        return Sign(bytes);
    }

    /// <summary>Opens a code made by <see cref="SignId"/>; false for anything else.</summary>
    public bool TryOpenId(string? token, out int id)
    {
        id = 0;
        Span<byte> bytes = stackalloc byte[sizeof(int)];
        if (_payloadBytes != sizeof(int) || !TryOpen(token, bytes))
        {
            return false;
        }

        id = BinaryPrimitives.ReadInt32BigEndian(bytes);
        return id > 0;
    }

    /// <summary>The code inside what was typed or scanned: a URL's last segment (no query), without spaces.</summary>
    public static string? FromScanned(string? scanned)
    {
        var text = scanned?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var token = text[(text.LastIndexOf('/') + 1)..];
        var end = token.IndexOfAny(['?', '#']);
        token = end >= 0 ? token[..end] : token;
        return string.Concat(token.Where(c => !char.IsWhiteSpace(c)));
    }

    private bool TryDecode(string? token, Span<byte> bytes)
    {
        if (token is null || token.Length != TokenLength || token.AsSpan().ContainsAnyExcept(Alphabet))
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
