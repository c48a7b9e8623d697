using System.Collections.Concurrent;

namespace DezhiHub.Web.Data;

/// <summary>
/// An EF Core compiled query, compiled once per engine: EF binds a compiled query to the model it first runs against,
/// and each engine's context has a model of its own, so one compiled delegate used on both throws ("executed with a
/// different model"). A process normally runs one engine; the tests and <c>copy-data</c> hold both.
/// </summary>
internal sealed class CompiledPerEngine<TQuery>(Func<TQuery> compile)
    where TQuery : Delegate
{
    private readonly ConcurrentDictionary<Type, TQuery> _byContext = new();

    /// <summary>The query compiled for <paramref name="db"/>'s engine.</summary>
    public TQuery For(AppDbContext db) => _byContext.GetOrAdd(db.GetType(), _ => compile());
}
