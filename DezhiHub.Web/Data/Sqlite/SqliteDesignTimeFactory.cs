using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace DezhiHub.Web.Data.Sqlite;

/// <summary>
/// For <c>dotnet ef migrations add Name --context SqliteDbContext --output-dir Data/Sqlite/Migrations</c>: the model on
/// SQLite, without starting the app.
/// </summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteDbContext>
{
    public SqliteDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
