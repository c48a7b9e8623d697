using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;

namespace DezhiHub.Web.Data.Sqlite;

/// <summary>The app's tables on SQLite, the embedded default; its migrations are in <c>Data/Sqlite/Migrations</c>.</summary>
public sealed class SqliteDbContext(DbContextOptions<SqliteDbContext> options) : AppDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        DbDates.Map(builder, time => new SqlFunctionExpression("julianday", [time], nullable: true, argumentsPropagateNullability: [true], typeof(double), null), 1440);
    }
}
