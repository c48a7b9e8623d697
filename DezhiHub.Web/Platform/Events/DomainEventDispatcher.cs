using System.Collections.Concurrent;
using System.Reflection;
using DezhiHub.Domain;
using DezhiHub.Web.Data;

namespace DezhiHub.Web.Platform.Events;

/// <summary>
/// Handles one kind of <see cref="IDomainEvent"/> inside the context that saved it: it adds rows (an audit entry, a
/// notice) that the context saves in the same transaction as the change. Handlers are singletons; they must not save.
/// </summary>
public interface IDomainEventHandler<in TEvent>
    where TEvent : IDomainEvent
{
    Task HandleAsync(AppDbContext db, TEvent domainEvent, CancellationToken cancellationToken);
}

/// <summary>Hands each event to every handler registered for its type, in registration order.</summary>
public sealed class DomainEventDispatcher(IServiceProvider services)
{
    private static readonly ConcurrentDictionary<Type, (Type HandlerType, Func<object, AppDbContext, IDomainEvent, CancellationToken, Task> Invoke)> Routes = new();

    private static readonly MethodInfo InvokeMethod = typeof(DomainEventDispatcher).GetMethod(nameof(Invoke), BindingFlags.NonPublic | BindingFlags.Static)!;

    public async Task DispatchAsync(AppDbContext db, IReadOnlyList<IDomainEvent> events, CancellationToken cancellationToken)
    {
        foreach (var domainEvent in events)
        {
            var (handlerType, invoke) = Routes.GetOrAdd(domainEvent.GetType(), type => (
                typeof(IDomainEventHandler<>).MakeGenericType(type),
                InvokeMethod.MakeGenericMethod(type).CreateDelegate<Func<object, AppDbContext, IDomainEvent, CancellationToken, Task>>()));
            foreach (var handler in services.GetServices(handlerType))
            {
                await invoke(handler!, db, domainEvent, cancellationToken);
            }
        }
    }

    private static Task Invoke<TEvent>(object handler, AppDbContext db, IDomainEvent domainEvent, CancellationToken cancellationToken)
        where TEvent : IDomainEvent =>
        ((IDomainEventHandler<TEvent>)handler).HandleAsync(db, (TEvent)domainEvent, cancellationToken);
}

public static class DomainEventServiceCollectionExtensions
{
    /// <summary>Registers <typeparamref name="THandler"/> for <typeparamref name="TEvent"/> (a singleton).</summary>
    public static IServiceCollection AddDomainEventHandler<TEvent, THandler>(this IServiceCollection services)
        where TEvent : IDomainEvent
        where THandler : class, IDomainEventHandler<TEvent> =>
        services.AddSingleton<IDomainEventHandler<TEvent>, THandler>();
}
