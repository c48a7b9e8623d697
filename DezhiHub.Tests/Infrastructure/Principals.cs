using System.Security.Claims;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Platform.Identity;

namespace DezhiHub.Tests.Infrastructure;

public static class Principals
{
    public static ClaimsPrincipal For(int userId, string name, params string[] roles)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, userId.ToString()),
            new(ClaimTypes.Name, name),
            new(ClaimsPrincipalExtensions.RealNameClaim, name),
        };
        claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "Test"));
    }
}
