using Npgsql;

namespace DezhiHub.Web.Data;

/// <summary>
/// Which engine holds the app's data: the "DezhiHub:Database" section, plus <c>ConnectionStrings:DezhiHub</c> for
/// PostgreSQL. SQLite needs nothing: its file is <c>dezhihub.db</c> in the data folder.
/// </summary>
public sealed class DatabaseOptions
{
    public const string Section = "DezhiHub:Database";

    public const string ConnectionStringName = "DezhiHub";

    /// <summary><c>Sqlite</c> (the default) or <c>PostgreSQL</c>.</summary>
    public string Provider { get; set; } = nameof(DatabaseProvider.Sqlite);

    /// <summary>The PostgreSQL connection string (from <c>ConnectionStrings:DezhiHub</c>); unused for SQLite.</summary>
    public string? ConnectionString { get; set; }

    public DatabaseProvider Engine =>
        TryParseProvider(out var engine) ? engine : throw new InvalidOperationException($"Unknown database provider '{Provider}'.");

    /// <summary>Null when the settings can be used, else the one line that says what is wrong.</summary>
    public string? Problem()
    {
        if (!TryParseProvider(out var engine))
        {
            return $"{Section}:Provider is '{Provider}'; it must be Sqlite or PostgreSQL.";
        }

        if (engine != DatabaseProvider.PostgreSQL)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            return $"{Section}:Provider is PostgreSQL but ConnectionStrings:{ConnectionStringName} is not set (for example \"Host=127.0.0.1;Database=dezhihub;Username=dezhihub;Password=…\").";
        }

        try
        {
            var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
            return string.IsNullOrEmpty(builder.Database)
                ? $"ConnectionStrings:{ConnectionStringName} names no database (Database=…)."
                : null;
        }
        catch (ArgumentException ex)
        {
            return $"ConnectionStrings:{ConnectionStringName} is not a valid PostgreSQL connection string: {ex.Message}";
        }
    }

    /// <summary>A provider's name, in any case; not a number (which Enum.TryParse would take).</summary>
    private bool TryParseProvider(out DatabaseProvider engine) =>
        Enum.TryParse(Provider, ignoreCase: true, out engine) && Enum.IsDefined(engine) && !int.TryParse(Provider, out _);

    /// <summary>Where the PostgreSQL database is, for messages: host, port and database, never the password.</summary>
    public string Describe()
    {
        if (Engine == DatabaseProvider.Sqlite)
        {
            return "SQLite";
        }

        var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        return $"PostgreSQL database '{builder.Database}' on {builder.Host}:{builder.Port}";
    }
}

public enum DatabaseProvider
{
    Sqlite,
    PostgreSQL,
}
