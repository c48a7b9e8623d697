using System.Security.Claims;
using DezhiHub.Domain.Accounts;
using DezhiHub.Web.Platform.Access;

namespace DezhiHub.Web.Platform.Identity;

public static class ClaimsPrincipalExtensions
{
    public const string RealNameClaim = "dezhihub:real_name";

    public static int? UserId(this ClaimsPrincipal user) =>
        int.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    public static int RequiredUserId(this ClaimsPrincipal user) =>
        user.UserId() ?? throw new AccessDeniedException();

    public static string DisplayName(this ClaimsPrincipal user) =>
        user.FindFirstValue(RealNameClaim) is { Length: > 0 } name ? name : user.Identity?.Name ?? "";

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(Roles.Admin);
}
