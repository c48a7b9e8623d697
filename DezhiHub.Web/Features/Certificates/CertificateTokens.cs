using DezhiHub.Web.Features.CheckIn;
using DezhiHub.Web.Platform.Signing;

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
    public static readonly int TokenLength = (PayloadBytes + MacBytes) / 3 * 4;

    private readonly TokenSigner _signer = TokenSigner.Derived(keys, "dezhihub certificate v1", PayloadBytes, MacBytes);

    public string Issue(int certificateId) => _signer.SignId(certificateId);

    public bool TryVerify(string? token, out int certificateId) =>
        _signer.TryOpenId(token, out certificateId);
}
