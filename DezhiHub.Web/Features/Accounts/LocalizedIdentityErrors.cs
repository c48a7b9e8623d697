using DezhiHub.Web.Resources;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace DezhiHub.Web.Features.Accounts;

/// <summary>Identity's error texts in the user's language. Descriptions are looked up as "Identity.{Code}".</summary>
internal sealed class LocalizedIdentityErrors(IStringLocalizer<Strings> strings) : IdentityErrorDescriber
{
    public override IdentityError DefaultError() => Error(nameof(DefaultError));

    public override IdentityError ConcurrencyFailure() => Error(nameof(ConcurrencyFailure));

    public override IdentityError PasswordMismatch() => Error(nameof(PasswordMismatch));

    public override IdentityError InvalidUserName(string? userName) => Error(nameof(InvalidUserName));

    public override IdentityError DuplicateUserName(string userName) => Error(nameof(DuplicateUserName));

    public override IdentityError PasswordTooShort(int length) => Error(nameof(PasswordTooShort), length);

    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) => Error(nameof(PasswordRequiresUniqueChars), uniqueChars);

    /// <summary>The localized text of an error; codes without a text of their own get the general one.</summary>
    public string Describe(IdentityError error) =>
        strings[$"Identity.{error.Code}"] is { ResourceNotFound: false } ? error.Description : strings["Identity.DefaultError"];

    private IdentityError Error(string code, params object[] args) =>
        new() { Code = code, Description = strings[$"Identity.{code}", args] };
}
