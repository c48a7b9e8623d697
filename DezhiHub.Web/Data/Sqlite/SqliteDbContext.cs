using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Data.Sqlite;

/// <summary>The app's tables on SQLite, the embedded default; its migrations are in <c>Data/Sqlite/Migrations</c>.</summary>
public sealed class SqliteDbContext(DbContextOptions<SqliteDbContext> options) : AppDbContext(options);
