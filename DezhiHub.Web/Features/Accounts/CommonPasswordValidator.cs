using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Resources;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace DezhiHub.Web.Features.Accounts;

/// <summary>
/// OWASP ASVS asks for length, not composition rules, plus a check against passwords everyone tries first.
/// This list is the short head of the public breached-password lists, and the person's own phone number.
/// </summary>
internal sealed class CommonPasswordValidator(IStringLocalizer<Strings> strings) : IPasswordValidator<AppUser>
{
    public const string Code = "PasswordTooCommon";
    public const int MaxLength = 128;

    private static readonly HashSet<string> Common = new(StringComparer.OrdinalIgnoreCase)
    {
        "12345678", "123456789", "1234567890", "87654321", "11111111", "00000000", "88888888", "66666666",
        "12341234", "11223344", "123123123", "abc12345", "abcd1234", "a1234567", "aa123456", "qwertyui",
        "qwerty123", "1qaz2wsx", "password", "password1", "passw0rd", "iloveyou", "woaini1314", "woaini520",
        "5201314520", "1314520520", "asdfghjk", "zxcvbnm1", "admin123", "admin1234", "administrator",
        "letmein1", "welcome1", "sunshine", "princess", "football", "baseball", "dragon12", "superman",
        "q1w2e3r4", "1q2w3e4r", "123qweasd", "qweasdzxc", "dezhihub", "dezhi123", "changeme", "trustno1",
    };

    public Task<IdentityResult> ValidateAsync(UserManager<AppUser> manager, AppUser user, string? password)
    {
        if (password is null)
        {
            return Task.FromResult(IdentityResult.Success);
        }

        var tooCommon = Common.Contains(password)
            || (user.PhoneNumber is { Length: > 0 } phone && password.Contains(phone, StringComparison.Ordinal))
            || password.Distinct().Count() <= 2;
        var tooLong = password.Length > MaxLength;
        return Task.FromResult(tooCommon ? IdentityResult.Failed(new IdentityError { Code = Code, Description = strings["Identity.PasswordTooCommon"] })
            : tooLong ? IdentityResult.Failed(new IdentityError { Code = "PasswordTooLong", Description = strings["Identity.PasswordTooLong", MaxLength] })
            : IdentityResult.Success);
    }
}
