namespace DezhiHub.Web.Features.Notifications;

/// <summary>In-app notifications: the bell and the list.</summary>
public static class NotificationsModule
{
    /// <remarks>A singleton: it holds no state, and domain-event handlers (singletons) add their notices through it.</remarks>
    public static IServiceCollection AddNotifications(this IServiceCollection services) => services.AddSingleton<NotificationService>();
}
