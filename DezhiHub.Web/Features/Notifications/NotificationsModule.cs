namespace DezhiHub.Web.Features.Notifications;

/// <summary>In-app notifications: the bell and the list.</summary>
public static class NotificationsModule
{
    public static IServiceCollection AddNotifications(this IServiceCollection services) => services.AddScoped<NotificationService>();
}
