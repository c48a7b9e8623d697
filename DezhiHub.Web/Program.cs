using DezhiHub.Web;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;

var builder = WebApplication.CreateBuilder(args);
builder.AddDezhiHub();
var app = builder.Build();

if (args is [CreateAdminCommand.Verb, ..])
{
    return await CreateAdminCommand.RunAsync(app.Services, args[1..], Console.Out);
}

await app.Services.InitializeDatabaseAsync();
app.UseDezhiHub();
app.PrintDemoAccountsWhenStarted();
await app.RunAsync();
return 0;

/// <summary>Visible to the test project's WebApplicationFactory.</summary>
public partial class Program;
