namespace DezhiHub.Web.Features.Weddings;

/// <summary>The "DezhiHub:Bookings" configuration section: the booking engine's sweep.</summary>
public sealed class BookingOptions
{
    public const string Section = "DezhiHub:Bookings";

    /// <summary>How often the sweep expires unreviewed requests, sends reminders and draws closed lotteries.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long before an approved booking's start its reminder is sent.</summary>
    public int ReminderHoursBefore { get; set; } = 24;
}
