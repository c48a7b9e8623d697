using DezhiHub.Web.Features.CheckIn;
using DezhiHub.Web.Platform.Signing;

namespace DezhiHub.Web.Features.Weddings;

/// <summary>
/// The signed codes of booking vouchers (预约凭证): the booking id and an HMAC-SHA256 over it truncated to 96 bits,
/// under a key derived for this kind only. Staff scan it at the hall or office to mark the couple's arrival; the
/// booking it names decides whether it is still good.
/// </summary>
public sealed class BookingVouchers(CheckInKeyStore keys)
{
    public const string PathPrefix = "/bookings/vouchers/";

    private const int PayloadBytes = 4;
    private const int MacBytes = 12;

    private readonly TokenSigner _signer = TokenSigner.Derived(keys, "dezhihub booking voucher v1", PayloadBytes, MacBytes);

    public string Issue(int bookingId) => _signer.SignId(bookingId);

    /// <summary>Checks a typed or scanned code (bare, grouped with spaces, or the whole voucher URL).</summary>
    public bool TryVerify(string? scanned, out int bookingId) =>
        _signer.TryOpenId(TokenSigner.FromScanned(scanned), out bookingId);
}
