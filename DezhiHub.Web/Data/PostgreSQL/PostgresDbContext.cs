using DezhiHub.Domain.Organization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;

namespace DezhiHub.Web.Data.PostgreSQL;

/// <summary>The app's tables on PostgreSQL; its migrations are in <c>Data/PostgreSQL/Migrations</c>.</summary>
public sealed class PostgresDbContext(DbContextOptions<PostgresDbContext> options) : AppDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        // Paths ("/1/4/") are compared byte by byte, as SQLite does: "Path LIKE '/1/4/%'" and the range beside it use
        // the btree index only under the C collation, and a locale's collation would sort '/' among the digits.
        builder.Entity<OrgNode>().Property(n => n.Path).UseCollation(Collation);
        foreach (var entity in builder.Model.GetEntityTypes())
        {
            if (entity.FindProperty("OrgPath") is { ClrType: var type } property && type == typeof(string))
            {
                property.SetCollation(Collation);
            }

            foreach (var json in entity.GetProperties().Where(p => p.GetValueConverter() is IJsonColumnConverter))
            {
                json.SetColumnType("jsonb");
            }
        }

        DbDates.Map(
            builder,
            time => new SqlFunctionExpression("date_part", [new SqlFragmentExpression("'epoch'"), time], nullable: true, argumentsPropagateNullability: [false, true], typeof(double), null),
            1 / 60.0);
    }

    private const string Collation = "C";
}
