using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DezhiHub.Tests.Infrastructure;

/// <summary>
/// Sees every SQL command and transaction the app's contexts start (a transaction as the text "BEGIN TRANSACTION"), so a
/// test waits for the moment it needs ("both reviewers have read and begin to write") instead of sleeping for a guessed
/// time. Registered in every <see cref="FeatureHost"/>.
/// </summary>
public sealed class CommandProbe : DbCommandInterceptor, IDbTransactionInterceptor
{
    public const string BeginTransaction = "BEGIN TRANSACTION";

    private readonly Lock _gate = new();
    private readonly List<Wait> _waits = [];

    /// <summary>Completes once <paramref name="count"/> commands whose text matches have started, counted from this call.</summary>
    public Task WhenStartedAsync(Func<string, bool> matches, int count)
    {
        var wait = new Wait(matches, count);
        lock (_gate)
        {
            _waits.Add(wait);
        }

        return wait.Done.Task;
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Saw(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Saw(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Saw(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Saw(command);
        return ValueTask.FromResult(result);
    }

    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        Saw(BeginTransaction);
        return result;
    }

    public ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        Saw(BeginTransaction);
        return ValueTask.FromResult(result);
    }

    private void Saw(DbCommand command) => Saw(command.CommandText);

    private void Saw(string text)
    {
        lock (_gate)
        {
            if (_waits.Count == 0)
            {
                return;
            }

            foreach (var wait in _waits.Where(w => w.Matches(text)).ToList())
            {
                if (--wait.Left == 0)
                {
                    _waits.Remove(wait);
                    wait.Done.TrySetResult();
                }
            }
        }
    }

    private sealed class Wait(Func<string, bool> matches, int count)
    {
        public Func<string, bool> Matches { get; } = matches;

        public int Left { get; set; } = count;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
