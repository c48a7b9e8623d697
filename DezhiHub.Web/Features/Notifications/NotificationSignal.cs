namespace DezhiHub.Web.Features.Notifications;

/// <summary>
/// Tells open pages (the bell in every circuit) that a user's notifications changed.
/// A singleton: subscribers must unsubscribe in Dispose.
/// </summary>
public sealed class NotificationSignal
{
    public event Action<int>? Changed;

    public void Raise(int userId) => Changed?.Invoke(userId);
}
