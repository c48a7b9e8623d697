using DezhiHub.Web;
using DezhiHub.Web.Data;
using DezhiHub.Web.Data.Sqlite;
using DezhiHub.Web.Features.Accounts;

var builder = WebApplication.CreateBuilder(args);
builder.AddDezhiHub();
var app = builder.Build();

try
{
    if (args is [CreateAdminCommand.Verb, ..])
    {
        return await CreateAdminCommand.RunAsync(app.Services, args[1..], Console.Out);
    }

    if (args is [DezhiHub.Web.Data.PostgreSQL.CopyDataCommand.Verb, ..])
    {
        return await DezhiHub.Web.Data.PostgreSQL.CopyDataCommand.RunAsync(app.Services, args[1..], Console.Out);
    }

    if (args is [BackupCommand.Verb, ..])
    {
        return await BackupCommand.RunAsync(app.Services, args[1..], Console.Out);
    }

    await app.Services.InitializeDatabaseAsync();
    app.UseDezhiHub();
    app.PrintDemoAccountsWhenStarted();
    await app.RunAsync();
}
catch (Microsoft.Extensions.Options.OptionsValidationException invalid)
{
    // A wrong setting is the operator's to fix: one line that names it, not a stack trace.
    Console.Error.WriteLine($"DezhiHub cannot start: {string.Join(" ", invalid.Failures)}");
    return 1;
}
catch (DatabaseUnavailableException unavailable)
{
    Console.Error.WriteLine($"DezhiHub cannot start: {unavailable.Message}");
    return 1;
}

return 0;

/// <summary>Visible to the test project's WebApplicationFactory.</summary>
public partial class Program;
