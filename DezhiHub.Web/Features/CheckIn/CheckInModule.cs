namespace DezhiHub.Web.Features.CheckIn;

/// <summary>QR check-in: rotating codes, the scanner, the check-in screen, attendance and volunteer cards.</summary>
public static class CheckInModule
{
    public static IServiceCollection AddCheckIn(this IServiceCollection services)
    {
        services.AddOptions<AttendanceOptions>().BindConfiguration(AttendanceOptions.Section)
            .Validate(o => o.AutoConfirmAfterHours >= 0, "DezhiHub:Attendance:AutoConfirmAfterHours must not be negative.")
            .Validate(o => o.MinimumSharePercent is >= 0 and <= 100, "DezhiHub:Attendance:MinimumSharePercent must be between 0 and 100.")
            .ValidateOnStart();
        services.AddSingleton<CheckInTokens>();
        services.AddScoped<CheckInService>();
        services.AddScoped<AttendanceService>();
        services.AddScoped<VolunteerCards>();
        return services;
    }
}
