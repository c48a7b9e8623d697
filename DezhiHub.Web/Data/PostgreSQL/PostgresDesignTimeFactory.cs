using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace DezhiHub.Web.Data.PostgreSQL;

/// <summary>
/// For <c>dotnet ef migrations add Name --context PostgresDbContext --output-dir Data/PostgreSQL/Migrations</c>: the
/// model on PostgreSQL, without starting the app or reaching a server.
/// </summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresDbContext>
{
    public PostgresDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresDbContext>().UseNpgsql("Host=localhost;Database=dezhihub_design").Options);
}
