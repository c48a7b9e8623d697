using System.Text;
using DezhiHub.Web.Features.CheckIn;
using DezhiHub.Web.Platform.Signing;

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
    public static readonly int TokenLength = (((PayloadBytes + MacBytes) * 4) + 2) / 3;

    private readonly TokenSigner _signer = TokenSigner.Derived(keys, "dezhihub market voucher v1", PayloadBytes, MacBytes);

    public string Issue(int redemptionId) => _signer.SignId(redemptionId);

    /// <summary>Checks a typed or scanned code (a bare token, grouped with spaces, or the whole voucher URL).</summary>
    public bool TryVerify(string? scanned, out int redemptionId) =>
        _signer.TryOpenId(TokenSigner.FromScanned(scanned), out redemptionId);

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
}
