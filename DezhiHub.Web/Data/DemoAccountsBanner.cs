using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace DezhiHub.Web.Data;

internal static class DemoAccountsBanner
{
    /// <summary>With demo data on, prints where the app listens and the demo accounts once it has started.</summary>
    public static void PrintDemoAccountsWhenStarted(this WebApplication app)
    {
        if (!DatabaseInitializer.ShouldSeedDemoData(app.Services))
        {
            return;
        }

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var text = new System.Text.StringBuilder();
            text.AppendLine();
            text.AppendLine("  DezhiHub 德治 Hub is running at " + string.Join(" ", addresses));
            var database = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DatabaseOptions>>().Value;
            text.AppendLine("  Data: " + (database.Engine == DatabaseProvider.Sqlite
                ? Path.Combine(DataServiceCollectionExtensions.ResolveDataPath(app.Services), DataServiceCollectionExtensions.DatabaseFileName)
                : database.Describe()));
            text.AppendLine($"  Demo accounts (password for all: {DemoDataSeeder.DemoPassword}):");
            foreach (var account in DemoDataSeeder.Accounts)
            {
                text.AppendLine($"    {account.Phone}  {account.Name}  {account.Label}");
            }

            Console.WriteLine(text.ToString());
        });
    }
}
