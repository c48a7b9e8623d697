namespace DezhiHub.Domain;

/// <summary>Something that happened to an aggregate, raised by its own method and handled when the change is saved.</summary>
public interface IDomainEvent;

/// <summary>
/// An entity whose methods raise <see cref="IDomainEvent"/>s. The app's context takes them once the change is saved
/// and hands them to their handlers (the audit row, the notice to a person), whose rows commit in the same transaction —
/// so a service never writes either by hand and cannot forget to (decision 0017).
/// </summary>
public abstract class Aggregate
{
    private List<IDomainEvent>? _events;

    /// <summary>True while events wait to be handled.</summary>
    public bool HasEvents() => _events is { Count: > 0 };

    /// <summary>The waiting events, once: they are handed over and cleared.</summary>
    public IReadOnlyList<IDomainEvent> TakeEvents()
    {
        var events = _events ?? [];
        _events = null;
        return events;
    }

    protected void Raise(IDomainEvent domainEvent) => (_events ??= []).Add(domainEvent);
}
