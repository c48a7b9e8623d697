using DezhiHub.Domain.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DezhiHub.Web.Data;

public static class DatabaseInitializer
{
    /// <summary>
    /// At start, one instance at a time: upgrade the schema, make sure the roles and the shared keys exist, and in
    /// Development seed the demo city into an empty database.
    /// </summary>
    public static async Task InitializeDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var startup = await services.LockStartupAsync(cancellationToken);
        await services.MigrateDatabaseAsync(cancellationToken);
        var factory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            var existing = await db.Roles.Select(r => r.Name).ToListAsync(cancellationToken);
            foreach (var role in Roles.All.Except(existing.OfType<string>()))
            {
                db.Roles.Add(new IdentityRole<int>(role) { NormalizedName = role.ToUpperInvariant(), ConcurrencyStamp = Guid.NewGuid().ToString() });
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        await SharedKeys.EnsureAsync(services, services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SharedKeys)), cancellationToken);
        if (ShouldSeedDemoData(services))
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DemoDataSeeder>().SeedIfEmptyAsync(cancellationToken);
            // The seeder writes its waiting sign-ups without numbers; they get them in their sign-up order.
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            await WaitlistSql.NumberUnnumberedAsync(db, cancellationToken);
        }
    }

    public static bool ShouldSeedDemoData(IServiceProvider services) =>
        services.GetRequiredService<IOptions<DezhiHubOptions>>().Value.SeedDemoData
        ?? services.GetRequiredService<IHostEnvironment>().IsDevelopment();
}
