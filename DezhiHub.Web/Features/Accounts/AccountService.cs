using System.Security.Claims;
using DezhiHub.Domain.Accounts;
using DezhiHub.Domain.Organization;
using DezhiHub.Domain;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Notifications;
using DezhiHub.Web.Platform.Auditing;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Resources;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace DezhiHub.Web.Features.Accounts;

/// <summary>What a person fills in to open an account.</summary>
public sealed record SignUpForm(string? Phone, string? RealName, string Password, string? ConfirmPassword, int? OrgNodeId);

/// <summary>What a person may change of their own account; the current password only to change the number.</summary>
public sealed record ProfileForm(string? Phone, string? RealName, string? CurrentPassword, int? OrgNodeId);

/// <summary>
/// How a sign-up or a profile change went: the account, or every problem — each beside its field (the field's name in
/// the form) or for the whole form.
/// </summary>
public sealed record AccountResult(AppUser? User, IReadOnlyList<(string Field, string Message)> FieldErrors, IReadOnlyList<string> Errors)
{
    public bool Succeeded => User is not null;
}

/// <summary>
/// The account rules the sign-up and profile pages used to hold themselves: a mainland number, a real name, the
/// password rules, a community or grid cell that exists; one account per number, decided under the account-numbers
/// lock (decision 0014); the audit entry (and on sign-up the welcome notice) written with the change.
/// </summary>
public sealed class AccountService(
    UserManager<AppUser> users,
    AppDbContext db,
    AuditTrail audit,
    NotificationService notifications,
    AccountProbeLimits probeLimits,
    IOptions<DezhiHubOptions> options,
    IStringLocalizer<Strings> strings,
    TimeProvider clock)
{
    /// <summary>The levels a resident lives at: a community, or a grid cell in one.</summary>
    public static readonly OrgLevel[] ResidentLevels = [OrgLevel.Community, OrgLevel.GridCell];

    /// <param name="registration">The form as sent.</param>
    /// <param name="clientAddress">Who is asking, for the limit on "this number is taken" answers.</param>
    public async Task<AccountResult> RegisterAsync(SignUpForm registration, string clientAddress, CancellationToken cancellationToken = default)
    {
        var fields = new List<(string, string)>();
        var (phone, realName) = CheckNumberAndName(registration.Phone, registration.RealName, fields);

        // The password's own rules are checked with the other fields, so one submit shows every problem beside its field.
        var password = registration.Password;
        if (password.Length == 0)
        {
            fields.Add((nameof(SignUpForm.Password), strings["Account.NewPasswordRequired"]));
        }
        else
        {
            var candidate = new AppUser { UserName = phone, PhoneNumber = phone };
            fields.AddRange((await PasswordProblemsAsync(candidate, password)).Select(e => (nameof(SignUpForm.Password), e.Description)));
            if (password != registration.ConfirmPassword)
            {
                fields.Add((nameof(SignUpForm.ConfirmPassword), strings["Account.PasswordsDiffer"]));
            }
        }

        if (registration.OrgNodeId is { } nodeId && !await IsResidentNodeAsync(nodeId, cancellationToken))
        {
            fields.Add((nameof(SignUpForm.OrgNodeId), strings["Account.CommunityInvalid"]));
        }

        if (fields.Count > 0)
        {
            return Failed(fields);
        }

        if (probeLimits.DuplicateAnswersExhausted(clientAddress, options.Value.DuplicateNumberAnswersPerHour))
        {
            return Failed(strings["Account.RegisterTooOften"]);
        }

        var user = new AppUser
        {
            UserName = phone,
            PhoneNumber = phone,
            RealName = realName,
            OrgNodeId = registration.OrgNodeId,
            CreatedAtUtc = clock.GetUtcNow().UtcDateTime,
        };
        // The password is hashed first: hashing takes a noticeable moment and must not hold the database's write lock.
        user.PasswordHash = users.PasswordHasher.HashPassword(user, password);
        // One transaction that first takes the account-numbers lock (decision 0014): a second sign-up with the same
        // number at the same moment waits, then is told the number is taken (an expected answer, not a unique-index
        // error in the log), and the account's audit entry commits with it.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        IdentityResult result;
        try
        {
            await LockSql.NameAsync(db, LockSql.AccountNumber(phone!), cancellationToken);
            result = await users.CreateAsync(user);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // The lock makes this rare (an account created elsewhere at the same moment); the index decides.
            result = NumberTaken();
        }

        if (!result.Succeeded)
        {
            if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.DuplicateUserName)))
            {
                probeLimits.CountDuplicateAnswer(clientAddress);
            }

            return Failed([.. result.Errors.Select(e => e.Description)]);
        }

        audit.Record(db, null, "user.registered", "User", user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), user.OrgNodeId, null,
            new { user.RealName, Phone = MainlandMobile.Mask(phone!) });
        notifications.Add(db, user.Id, "Notify.Welcome", [user.RealName], "/account/profile");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new AccountResult(user, [], []);
    }

    /// <summary>
    /// Changes a person's own name, number and community. A new number needs the current password and is claimed under
    /// its lock; an Admin's or Organizer's org node is their scope of authority, so theirs is not changed here.
    /// </summary>
    public async Task<AccountResult> UpdateProfileAsync(ClaimsPrincipal actor, AppUser user, ProfileForm form, CancellationToken cancellationToken = default)
    {
        var fields = new List<(string, string)>();
        var (phone, realName) = CheckNumberAndName(form.Phone, form.RealName, fields);

        var managedOrg = actor.IsInRole(Roles.Admin) || actor.IsInRole(Roles.Organizer);
        var orgNodeId = managedOrg ? user.OrgNodeId : form.OrgNodeId;
        if (!managedOrg && orgNodeId is { } nodeId && orgNodeId != user.OrgNodeId && !await IsResidentNodeAsync(nodeId, cancellationToken))
        {
            fields.Add((nameof(ProfileForm.OrgNodeId), strings["Account.CommunityInvalid"]));
        }

        var phoneChanged = phone is not null && phone != user.PhoneNumber;
        if (phoneChanged && !await users.CheckPasswordAsync(user, form.CurrentPassword ?? ""))
        {
            fields.Add((nameof(ProfileForm.CurrentPassword), strings["Profile.PasswordNeededForPhone"]));
        }

        if (fields.Count > 0)
        {
            return Failed(fields);
        }

        var before = new { user.RealName, Phone = MainlandMobile.Mask(user.PhoneNumber ?? ""), Org = user.OrgNodeId };
        user.RealName = realName;
        user.OrgNodeId = orgNodeId;
        if (phoneChanged)
        {
            user.PhoneNumber = phone;
            user.UserName = phone;
        }

        // A new number is claimed under its lock (decision 0014), so two accounts taking it at once get "already
        // registered", not a unique-index error.
        await using var transaction = phoneChanged ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        IdentityResult result;
        try
        {
            if (phoneChanged)
            {
                await LockSql.NameAsync(db, LockSql.AccountNumber(phone!), cancellationToken);
            }

            result = await users.UpdateAsync(user);
            if (result.Succeeded && phoneChanged)
            {
                result = await users.UpdateSecurityStampAsync(user);
            }
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            result = NumberTaken();
        }

        if (!result.Succeeded)
        {
            return Failed([.. result.Errors.Select(e => e.Description)]);
        }

        audit.Record(db, actor, "user.profile.updated", "User", user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), user.OrgNodeId, before,
            new { user.RealName, Phone = MainlandMobile.Mask(user.PhoneNumber ?? ""), Org = user.OrgNodeId });
        await db.SaveChangesAsync(cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return new AccountResult(user, [], []);
    }

    /// <summary>The number normalised and the name cleaned, each problem added beside its field (the same names in both forms).</summary>
    private (string? Phone, string RealName) CheckNumberAndName(string? phoneInput, string? realNameInput, List<(string, string)> fields)
    {
        if (!MainlandMobile.TryNormalize(phoneInput, out var phone))
        {
            fields.Add((nameof(SignUpForm.Phone), strings["Account.PhoneInvalid"]));
        }

        // Invisible characters go silently; a direction override is refused (PersonText).
        var realName = PersonText.Clean(realNameInput);
        if (PersonText.HasDirectionControl(realNameInput))
        {
            fields.Add((nameof(SignUpForm.RealName), strings[PersonText.DirectionControlCode]));
        }
        else if (realName.Length == 0 || realName.Length > AppUser.RealNameMaxLength)
        {
            fields.Add((nameof(SignUpForm.RealName), strings["Account.RealNameInvalid", AppUser.RealNameMaxLength]));
        }

        return (phone, realName);
    }

    /// <summary>A community or grid cell in use: where a resident may say they live.</summary>
    private Task<bool> IsResidentNodeAsync(int nodeId, CancellationToken cancellationToken) =>
        db.OrgNodes.AnyAsync(n => n.Id == nodeId && !n.IsRetired && ResidentLevels.Contains(n.Level), cancellationToken);

    /// <summary>What Identity says when a number has an account already (the unique index decided, not the lock).</summary>
    private IdentityResult NumberTaken() =>
        IdentityResult.Failed(new IdentityError { Code = nameof(IdentityErrorDescriber.DuplicateUserName), Description = strings["Identity.DuplicateUserName"] });

    /// <summary>The password rules Identity's own <c>CreateAsync(user, password)</c> would apply (length, common passwords).</summary>
    private async Task<List<IdentityError>> PasswordProblemsAsync(AppUser user, string password)
    {
        var errors = new List<IdentityError>();
        foreach (var validator in users.PasswordValidators)
        {
            errors.AddRange((await validator.ValidateAsync(users, user, password)).Errors);
        }

        return errors;
    }

    private static AccountResult Failed(List<(string, string)> fields) => new(null, fields, []);

    private static AccountResult Failed(params string[] errors) => new(null, [], errors);
}
