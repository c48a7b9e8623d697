using DezhiHub.Web.Platform.Identity;

namespace DezhiHub.Web.Features.Accounts;

/// <summary>
/// One signed-in browser. The sign-in cookie carries the session's id; a request is accepted only while the row says
/// the session is open, so signing out (here, or "everywhere") ends a copied cookie too, not just this browser's.
/// </summary>
public sealed class UserSession
{
    /// <summary>128 random bits in base64url.</summary>
    public const int IdLength = 22;

    public const int EndReasonMaxLength = 16;

    public required string Id { get; init; }

    public int UserId { get; init; }

    public DateTime CreatedAtUtc { get; init; }

    public DateTime? EndedAtUtc { get; set; }

    /// <summary>"signout", "everywhere" or "expired".</summary>
    public string? EndReason { get; set; }
}
