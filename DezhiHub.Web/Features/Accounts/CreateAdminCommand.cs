using DezhiHub.Domain.Accounts;
using DezhiHub.Domain.Organization;
using DezhiHub.Domain;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Auditing;
using DezhiHub.Web.Platform.Auditing;
using DezhiHub.Web.Platform.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Accounts;

/// <summary>
/// <c>dotnet DezhiHub.Web.dll create-admin --phone 13800000000 --name 张三 [--city 太行市]</c>:
/// creates the first Admin of a production deployment. The password comes from DEZHIHUB_ADMIN_PASSWORD
/// or is typed twice without echo.
/// </summary>
public static class CreateAdminCommand
{
    public const string Verb = "create-admin";
    public const string PasswordVariable = "DEZHIHUB_ADMIN_PASSWORD";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, Func<string?>? readPassword = null)
    {
        var phoneArg = Option(args, "--phone");
        var nameArg = Option(args, "--name");
        if (PersonText.HasDirectionControl(nameArg))
        {
            await output.WriteLineAsync("The name holds a text-direction control character (such as U+202E); type it again.");
            return 2;
        }

        var name = PersonText.Clean(nameArg);
        var cityName = Option(args, "--city")?.Trim();
        if (!MainlandMobile.TryNormalize(phoneArg, out var phone) || string.IsNullOrEmpty(name))
        {
            await output.WriteLineAsync("Usage: create-admin --phone <mainland mobile> --name <real name> [--city <city name, when the org tree is empty>]");
            await output.WriteLineAsync($"Password: from {PasswordVariable}, or typed at the prompt.");
            return 2;
        }

        await services.InitializeDatabaseAsync();
        var password = Environment.GetEnvironmentVariable(PasswordVariable);
        if (string.IsNullOrEmpty(password))
        {
            readPassword ??= ReadHidden;
            await output.WriteAsync("Password: ");
            password = readPassword();
            await output.WriteAsync("Repeat password: ");
            if (readPassword() != password)
            {
                await output.WriteLineAsync("The passwords differ; nothing was created.");
                return 1;
            }
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var root = await db.OrgNodes.FirstOrDefaultAsync(n => n.ParentId == null);
        if (root is null && string.IsNullOrEmpty(cityName))
        {
            await output.WriteLineAsync("The org tree is empty: pass --city <name> to create the city node.");
            return 2;
        }

        var userManager = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var existing = await userManager.FindByNameAsync(phone);
        if (existing is not null)
        {
            await output.WriteLineAsync($"An account with {phone} already exists; nothing was created.");
            return 1;
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        if (root is null)
        {
            root = OrgNode.CreateRoot(cityName!);
            db.OrgNodes.Add(root);
            await db.SaveChangesAsync();
            root.AssignPath("/");
            await db.SaveChangesAsync();
        }

        var user = new AppUser { UserName = phone, PhoneNumber = phone, RealName = name, OrgNodeId = root.Id, CreatedAtUtc = DateTime.UtcNow };
        var result = await userManager.CreateAsync(user, password ?? "");
        if (result.Succeeded)
        {
            result = await userManager.AddToRoleAsync(user, Roles.Admin);
        }

        if (!result.Succeeded)
        {
            var describer = scope.ServiceProvider.GetRequiredService<LocalizedIdentityErrors>();
            foreach (var error in result.Errors)
            {
                await output.WriteLineAsync(describer.Describe(error));
            }

            return 1;
        }

        scope.ServiceProvider.GetRequiredService<AuditTrail>().Record(db, null, "user.admin-created", "User", user.Id.ToString(), root.Id, null, new { user.RealName, Roles = new[] { Roles.Admin } });
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        await output.WriteLineAsync($"Admin {name} ({phone}) created.");
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static string? ReadHidden()
    {
        if (Console.IsInputRedirected)
        {
            return Console.ReadLine();
        }

        var buffer = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.WriteLine();
                return buffer.ToString();
            }

            if (key.Key == ConsoleKey.Backspace && buffer.Length > 0)
            {
                buffer.Length--;
            }
            else if (!char.IsControl(key.KeyChar))
            {
                buffer.Append(key.KeyChar);
            }
        }
    }
}
