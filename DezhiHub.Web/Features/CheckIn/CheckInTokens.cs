using System.Buffers.Binary;
using System.Security.Cryptography;

namespace DezhiHub.Web.Features.CheckIn;

public enum CheckInPurpose : byte
{
    CheckIn = 1,
    CheckOut = 2,
}

public enum TokenCheck
{
    Valid,
    Expired,
    Invalid,
}

/// <summary>
/// The short, signed tokens inside the rotating check-in QR codes. A token names the activity, the purpose and a
/// 30-second time step, and carries an HMAC-SHA256 over them truncated to 128 bits; 25 bytes, 34 base64url characters.
/// It is accepted for its own step and the one after it, so a photo forwarded to a group chat stops working within a
/// minute while a person scanning at a step boundary is not turned away.
/// </summary>
public sealed class CheckInTokens(CheckInKeyStore keys, TimeProvider clock)
{
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(30);
    public const int MacBytes = 16;
    private const int PayloadBytes = 4 + 1 + 4;
    private const int TokenBytes = PayloadBytes + MacBytes;
    public static readonly int TokenLength = Base64UrlLength(TokenBytes);
    internal static readonly System.Buffers.SearchValues<char> Alphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>The current step's token for the screen; <see cref="NextChangeAt"/> says when to show a new one.</summary>
    public string Issue(int activityId, CheckInPurpose purpose) => Issue(activityId, purpose, CurrentStep());

    public DateTimeOffset NextChangeAt => DateTimeOffset.FromUnixTimeSeconds((CurrentStep() + 1) * (long)Step.TotalSeconds);

    /// <summary>Checks a scanned token; on success gives the activity and purpose it was made for.</summary>
    public TokenCheck Verify(string? token, out int activityId, out CheckInPurpose purpose)
    {
        activityId = 0;
        purpose = default;
        Span<byte> bytes = stackalloc byte[TokenBytes];
        if (!Base64UrlToken.TryDecode(token, TokenLength, bytes))
        {
            return TokenCheck.Invalid;
        }

        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(keys.Key, bytes[..PayloadBytes], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected[..MacBytes], bytes[PayloadBytes..]))
        {
            return TokenCheck.Invalid;
        }

        long step = BinaryPrimitives.ReadUInt32BigEndian(bytes[5..PayloadBytes]);
        var now = CurrentStep();
        if (step > now)
        {
            return TokenCheck.Invalid; // signed, but for the future: not something the screen ever showed
        }

        if (step < now - 1)
        {
            return TokenCheck.Expired;
        }

        activityId = BinaryPrimitives.ReadInt32BigEndian(bytes[..4]);
        purpose = (CheckInPurpose)bytes[4];
        return Enum.IsDefined(purpose) ? TokenCheck.Valid : TokenCheck.Invalid;
    }

    internal string Issue(int activityId, CheckInPurpose purpose, long step)
    {
        Span<byte> bytes = stackalloc byte[TokenBytes];
        BinaryPrimitives.WriteInt32BigEndian(bytes[..4], activityId);
        bytes[4] = (byte)purpose;
        BinaryPrimitives.WriteUInt32BigEndian(bytes[5..PayloadBytes], checked((uint)step));
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(keys.Key, bytes[..PayloadBytes], mac);
        mac[..MacBytes].CopyTo(bytes[PayloadBytes..]);
        return System.Buffers.Text.Base64Url.EncodeToString(bytes);
    }

    internal long CurrentStep() => clock.GetUtcNow().ToUnixTimeSeconds() / (long)Step.TotalSeconds;

    private static int Base64UrlLength(int bytes) => ((bytes * 4) + 2) / 3;
}
