using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DezhiHub.Web.Data.PostgreSQL;

/// <summary>
/// <c>dotnet DezhiHub.Web.dll copy-data --to-postgres "&lt;connection string&gt;"</c>: moves a SQLite deployment to an
/// empty PostgreSQL database. It migrates the target (creating the database if the role may), refuses a target that
/// holds any row, copies every table in foreign-key order with its ids (PostgreSQL's binary COPY, values converted
/// through the model so times stay UTC and enums stay names), moves each identity sequence past the largest id, and
/// then checks: the same number of rows in every table, every volunteer's cached points and minutes equal to their
/// ledger sums, and the ledgers' append-only triggers in place. Run it with the app stopped (or after a
/// <c>backup</c>, pointing <c>DezhiHub:DataPath</c> at a folder holding the copy). Exit 0 done, 1 a check failed, 2
/// usage, wrong source or a target that is not empty.
/// </summary>
public static class CopyDataCommand
{
    public const string Verb = "copy-data";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, CancellationToken cancellationToken = default)
    {
        if (args is not ["--to-postgres", { Length: > 0 } target])
        {
            await output.WriteLineAsync("Usage: copy-data --to-postgres \"Host=…;Database=…;Username=…;Password=…\"   (an empty database; the app's own settings name the SQLite source)");
            return 2;
        }

        var targetOptions = new DatabaseOptions { Provider = nameof(DatabaseProvider.PostgreSQL), ConnectionString = target };
        if (targetOptions.Problem() is { } problem)
        {
            await output.WriteLineAsync(problem.Replace($"ConnectionStrings:{DatabaseOptions.ConnectionStringName}", "--to-postgres", StringComparison.Ordinal));
            return 2;
        }

        if (services.GetRequiredService<IOptions<DatabaseOptions>>().Value.Engine != DatabaseProvider.Sqlite)
        {
            await output.WriteLineAsync("The source must be the SQLite deployment: run this with the app's SQLite settings (no DezhiHub:Database:Provider).");
            return 2;
        }

        // The source brought up to this version first (its schema, and the keys it kept in files before they moved into
        // the database), as a start of the app would.
        await services.InitializeDatabaseAsync(cancellationToken);
        var clock = Stopwatch.StartNew();
        await using var source = await services.GetRequiredService<IDbContextFactory<Sqlite.SqliteDbContext>>().CreateDbContextAsync(cancellationToken);
        await using var destination = new PostgresDbContext(new DbContextOptionsBuilder<PostgresDbContext>().UseNpgsql(target).Options);
        try
        {
            await PostgresDatabase.PrepareAsync(destination, cancellationToken);
            await destination.Database.MigrateAsync(cancellationToken);
        }
        catch (NpgsqlException ex)
        {
            await output.WriteLineAsync($"Cannot open the target, {targetOptions.Describe()}: {ex.Message.Split('\n')[0]}");
            return 2;
        }

        var tables = TablesInInsertOrder(destination.Model);
        // The context's own connection (the context closes it).
        var connection = (NpgsqlConnection)destination.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        foreach (var table in tables)
        {
            if (await CountAsync(connection, table.Name, cancellationToken) > 0)
            {
                await output.WriteLineAsync($"The target is not empty (\"{table.Name}\" has rows); copy-data only fills an empty database. Nothing was copied.");
                return 2;
            }
        }

        await source.Database.OpenConnectionAsync(cancellationToken);
        var sourceConnection = source.Database.GetDbConnection();
        var copied = new Dictionary<string, long>();
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            foreach (var table in tables)
            {
                copied[table.Name] = await CopyTableAsync(sourceConnection, connection, table, source.Model, cancellationToken);
            }

            foreach (var table in tables.Where(t => t.Identity is not null))
            {
                await ExecuteAsync(connection,
                    $"""SELECT setval(pg_get_serial_sequence('"{table.Name}"', '{table.Identity}'), COALESCE((SELECT MAX("{table.Identity}") FROM "{table.Name}"), 0) + 1, false)""",
                    cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        var problems = new List<string>();
        foreach (var table in tables)
        {
            var there = await CountAsync(connection, table.Name, cancellationToken);
            var here = await CountAsync(sourceConnection, table.Name, cancellationToken);
            if (there != here)
            {
                problems.Add($"\"{table.Name}\": {here} rows in SQLite, {there} in PostgreSQL");
            }
        }

        var mismatches = await ScalarAsync(connection, LedgerSql.VolunteersWhoseTotalsDifferFromTheirLedgers, cancellationToken);
        if (mismatches != 0)
        {
            problems.Add($"{mismatches} volunteers' totals differ from their ledgers");
        }

        var triggers = await ScalarAsync(connection,
            """SELECT COUNT(*) FROM pg_trigger WHERE NOT tgisinternal AND tgrelid IN ('"PointsEntries"'::regclass, '"HoursEntries"'::regclass)""", cancellationToken);
        if (triggers != 4)
        {
            problems.Add($"the ledgers carry {triggers} append-only triggers, not 4");
        }

        if (problems.Count > 0)
        {
            await output.WriteLineAsync("The copy failed its checks: " + string.Join("; ", problems) + ". Do not switch to it.");
            return 1;
        }

        await output.WriteLineAsync(
            $"Copied {copied.Values.Sum():N0} rows of {tables.Count} tables to {targetOptions.Describe()} in {clock.Elapsed.TotalSeconds:N1} s: " +
            $"every table's row count matches, the ledgers of {copied.GetValueOrDefault("VolunteerProfiles"):N0} volunteers agree with their totals, the append-only triggers are in place. " +
            "Point the app at it with DezhiHub:Database:Provider=PostgreSQL and ConnectionStrings:DezhiHub; keep the data folder (keys/, pictures).");
        return 0;
    }

    /// <summary>A table to copy: its name, columns (with their properties in each model) and identity column.</summary>
    private sealed record Table(string Name, IReadOnlyList<IProperty> Columns, string? Identity, IProperty? SelfReference);

    /// <summary>Every table of the model, parents before the tables that point at them.</summary>
    private static List<Table> TablesInInsertOrder(IModel model)
    {
        var entities = model.GetEntityTypes().Where(e => e.GetTableName() is not null).ToList();
        var byTable = entities.GroupBy(e => e.GetTableName()!).ToDictionary(g => g.Key, g => g.ToList());
        var ordered = new List<Table>();
        var done = new HashSet<string>(StringComparer.Ordinal);

        void Visit(string name, HashSet<string> path)
        {
            if (done.Contains(name) || !path.Add(name))
            {
                return;
            }

            foreach (var parent in byTable[name].SelectMany(e => e.GetForeignKeys()).Select(f => f.PrincipalEntityType.GetTableName()!).Where(p => p != name))
            {
                Visit(parent, path);
            }

            done.Add(name);
            var entity = byTable[name][0];
            var store = StoreObjectIdentifier.Table(name, entity.GetSchema());
            var columns = ColumnsOf(byTable[name], store).Values.ToList();
            var key = entity.FindPrimaryKey()!.Properties;
            var identity = key is [{ ValueGenerated: ValueGenerated.OnAdd, ClrType: var type } id] && (type == typeof(int) || type == typeof(long))
                ? id.GetColumnName(store)
                : null;
            var self = entity.GetForeignKeys().FirstOrDefault(f => f.PrincipalEntityType == entity)?.Properties.Single();
            ordered.Add(new Table(name, columns, identity, self));
        }

        foreach (var name in byTable.Keys.Order(StringComparer.Ordinal))
        {
            Visit(name, []);
        }

        return ordered;
    }

    private static async Task<long> CopyTableAsync(DbConnection source, NpgsqlConnection destination, Table table, IModel sourceModel, CancellationToken cancellationToken)
    {
        var store = StoreObjectIdentifier.Table(table.Name, null);
        var names = table.Columns.Select(c => c.GetColumnName(store)!).ToList();
        var quoted = string.Join(", ", names.Select(n => $"\"{n}\""));
        await using var read = source.CreateCommand();
        read.CommandText = $"SELECT {quoted} FROM \"{table.Name}\"";
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        var sourceColumns = ColumnsOf(sourceModel.GetEntityTypes().Where(e => e.GetTableName() == table.Name), store);
        var readers = names.Select(n => ValueReader(sourceColumns[n])).ToList();
        var writers = table.Columns.Select(ValueWriter).ToList();
        await using var import = await destination.BeginBinaryImportAsync($"COPY \"{table.Name}\" ({quoted}) FROM STDIN (FORMAT BINARY)", cancellationToken);

        async Task WriteAsync(object?[] row)
        {
            await import.StartRowAsync(cancellationToken);
            for (var i = 0; i < row.Length; i++)
            {
                await writers[i](import, row[i], cancellationToken);
            }
        }

        // A table that points at itself (org nodes under their parent) is read whole and written parents first; the
        // others stream row by row.
        var held = table.SelfReference is null ? null : new List<object?[]>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new object?[names.Count];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : readers[i](reader, i);
            }

            if (held is null)
            {
                await WriteAsync(row);
            }
            else
            {
                held.Add(row);
            }
        }

        if (held is not null)
        {
            foreach (var row in ParentsFirst(held, names.IndexOf(table.Identity!), names.IndexOf(table.SelfReference!.GetColumnName(store)!)))
            {
                await WriteAsync(row);
            }
        }

        return (long)await import.CompleteAsync(cancellationToken);
    }

    /// <summary>The columns of a table by name: the properties of every entity type mapped to it and of their complex properties.</summary>
    private static Dictionary<string, IProperty> ColumnsOf(IEnumerable<IEntityType> entities, StoreObjectIdentifier store)
    {
        var columns = new Dictionary<string, IProperty>(StringComparer.Ordinal);
        void Add(IEnumerable<IProperty> properties)
        {
            foreach (var property in properties)
            {
                if (property.GetColumnName(store) is { } column)
                {
                    columns.TryAdd(column, property);
                }
            }
        }

        void AddComplex(IEnumerable<IComplexProperty> complexProperties)
        {
            foreach (var complex in complexProperties)
            {
                Add(complex.ComplexType.GetProperties());
                AddComplex(complex.ComplexType.GetComplexProperties());
            }
        }

        foreach (var entity in entities)
        {
            Add(entity.GetProperties());
            AddComplex(entity.GetComplexProperties());
        }

        return columns;
    }

    /// <summary>Rows ordered so that every row's parent comes before it.</summary>
    private static List<object?[]> ParentsFirst(List<object?[]> rows, int idColumn, int parentColumn)
    {
        var children = rows.ToLookup(r => r[parentColumn]);
        var ordered = new List<object?[]>(rows.Count);
        var queue = new Queue<object?[]>(rows.Where(r => r[parentColumn] is null));
        while (queue.TryDequeue(out var row))
        {
            ordered.Add(row);
            foreach (var child in children[row[idColumn]])
            {
                queue.Enqueue(child);
            }
        }

        return ordered.Count == rows.Count ? ordered : throw new InvalidOperationException("A row points at a parent that does not exist.");
    }

    /// <summary>Reads a column as SQLite stores it and turns it into the model's value (times as UTC, enums from their names).</summary>
    private static Func<DbDataReader, int, object?> ValueReader(IProperty property)
    {
        var mapping = property.GetTypeMapping();
        var converter = mapping.Converter;
        var providerType = Nullable.GetUnderlyingType(converter?.ProviderClrType ?? property.ClrType) ?? converter?.ProviderClrType ?? property.ClrType;
        var read = typeof(DbDataReader).GetMethod(nameof(DbDataReader.GetFieldValue))!.MakeGenericMethod(providerType);
        return (reader, i) =>
        {
            var value = read.Invoke(reader, [i]);
            return converter is null ? value : converter.ConvertFromProvider(value);
        };
    }

    /// <summary>Writes a model value the way the PostgreSQL column takes it (through the PostgreSQL model's converter).</summary>
    private static Func<NpgsqlBinaryImporter, object?, CancellationToken, Task> ValueWriter(IProperty property)
    {
        var converter = property.GetTypeMapping().Converter;
        var columnType = property.GetColumnType();
        var dataType = columnType.Contains('(', StringComparison.Ordinal) ? columnType[..columnType.IndexOf('(', StringComparison.Ordinal)].Trim() : columnType;
        return (import, value, cancellationToken) =>
        {
            if (value is null)
            {
                return import.WriteNullAsync(cancellationToken);
            }

            var provider = converter is null ? value : converter.ConvertToProvider(value);
            return provider is null ? import.WriteNullAsync(cancellationToken) : import.WriteAsync(provider, dataType, cancellationToken);
        };
    }

    private static async Task<long> CountAsync(DbConnection connection, string table, CancellationToken cancellationToken) =>
        await ScalarAsync(connection, $"SELECT COUNT(*) FROM \"{table}\"", cancellationToken);

    private static async Task<long> ScalarAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
