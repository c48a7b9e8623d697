namespace DezhiHub.Web.Platform.Live;

/// <summary>What a change touched, as open pages care about it.</summary>
public enum ChangeKind
{
    /// <summary>A user's notifications (the bell, the notifications page, the home page's unread count); Id is the user.</summary>
    Notifications,

    /// <summary>An activity's attendance (the live roster, the check-in screen's count); Id is the activity.</summary>
    Attendance,

    /// <summary>An audited change at an org node (the home page's recent changes); Id is the node.</summary>
    Audit,

    /// <summary>Changes may have been missed (the instance lost its database listener for a while): every page re-reads.</summary>
    Everything,
}

/// <summary>One change: its kind and the id it is about.</summary>
public readonly record struct Change(ChangeKind Kind, int Id)
{
    /// <summary>Does a page showing <paramref name="kind"/> for <paramref name="id"/> need to re-read?</summary>
    public bool Concerns(ChangeKind kind, int? id) => Kind == ChangeKind.Everything || (Kind == kind && Id == id);
}

/// <summary>
/// Tells the open pages of this instance (every circuit) that something they show changed — on whichever instance it
/// changed. Who raises: on SQLite (one instance) <see cref="LiveSaveInterceptor"/> after a save; on PostgreSQL the
/// database itself (triggers NOTIFY at commit) through <see cref="Data.PostgreSQL.PostgresChangeListener"/>, so a change
/// made on another instance, or by SQL the change tracker never saw, reaches every page. A change is a hint to re-read,
/// never data. A singleton: subscribers must unsubscribe in Dispose, and their handlers only schedule work (InvokeAsync).
/// </summary>
public sealed class LiveChanges(ILogger<LiveChanges> logger)
{
    public event Action<Change>? Changed;

    public void Raise(Change change) => Changed?.Invoke(change);

    /// <summary>A page's re-read after a change failed (a busy database): logged; the page's next change or tick tries again.</summary>
    internal void RefreshFailed(Exception exception) => logger.LogWarning(exception, "A page's re-read after a live change failed.");
}
