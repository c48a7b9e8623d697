using System.Buffers.Binary;
using DezhiHub.Domain.Activities;
using DezhiHub.Web.Platform.Signing;

namespace DezhiHub.Web.Features.CheckIn;

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
    public static readonly int TokenLength = (((PayloadBytes + MacBytes) * 4) + 2) / 3;

    private readonly TokenSigner _signer = TokenSigner.Master(keys, PayloadBytes, MacBytes);

    /// <summary>The current step's token for the screen; <see cref="NextChangeAt"/> says when to show a new one.</summary>
    public string Issue(int activityId, CheckInPurpose purpose) => Issue(activityId, purpose, CurrentStep());

    public DateTimeOffset NextChangeAt => DateTimeOffset.FromUnixTimeSeconds((CurrentStep() + 1) * (long)Step.TotalSeconds);

    /// <summary>Checks a scanned token; on success gives the activity and purpose it was made for.</summary>
    public TokenCheck Verify(string? token, out int activityId, out CheckInPurpose purpose)
    {
        activityId = 0;
        purpose = default;
        Span<byte> bytes = stackalloc byte[PayloadBytes];
        if (!_signer.TryOpen(token, bytes))
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
        Span<byte> bytes = stackalloc byte[PayloadBytes];
        BinaryPrimitives.WriteInt32BigEndian(bytes[..4], activityId);
        bytes[4] = (byte)purpose;
        BinaryPrimitives.WriteUInt32BigEndian(bytes[5..PayloadBytes], checked((uint)step));
        return _signer.Sign(bytes);
    }

    internal long CurrentStep() => clock.GetUtcNow().ToUnixTimeSeconds() / (long)Step.TotalSeconds;
}
