using System.Globalization;
using System.Text.Json;
using DezhiHub.Domain.Weddings;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace DezhiHub.Web.Data;

/// <summary>A value kept whole in one JSON column (jsonb on PostgreSQL, text on SQLite).</summary>
internal interface IJsonColumnConverter;

/// <summary>
/// Turns an immutable value object into its JSON and back. The value is read and written whole and never searched
/// inside, so a converter (rather than an owned or complex JSON type) keeps the domain's type as it is: built and
/// checked by its own factory, compared by its JSON.
/// </summary>
internal sealed class JsonColumnConverter<T>(Func<T, string> write, Func<string, T> read)
    : ValueConverter<T, string>(v => write(v), s => read(s)), IJsonColumnConverter
    where T : class;

/// <summary>The JSON shapes of the app's value-object columns, and the one way to map them.</summary>
internal static class JsonColumns
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General);

    public static PropertyBuilder<T> HasJsonConversion<T>(this PropertyBuilder<T> property, Func<T, string> write, Func<string, T> read)
        where T : class =>
        property.HasConversion(
            new JsonColumnConverter<T>(write, read),
            new ValueComparer<T>((a, b) => ReferenceEquals(a, b) || (a != null && b != null && write(a) == write(b)), v => write(v).GetHashCode(StringComparison.Ordinal), v => v));

    /// <summary>Seven entries, Monday first: <c>{"Open":"08:30","Close":"17:30"}</c> or null when closed.</summary>
    public static string WriteHours(WeeklyHours hours) =>
        JsonSerializer.Serialize(Enumerable.Range(0, 7).Select(i => hours[i] is { } d ? new OpeningJson(Time(d.Open), Time(d.Close)) : null), Options);

    public static WeeklyHours ReadHours(string json) =>
        WeeklyHours.Create([.. JsonSerializer.Deserialize<OpeningJson?[]>(json, Options)!.Select(d => d is null ? ((TimeOnly, TimeOnly)?)null : (Time(d.Open), Time(d.Close)))]);

    /// <summary><c>[{"Start":"2027-05-01T09:00:00","End":"2027-05-01T11:00:00"}]</c>, local times, earliest first.</summary>
    public static string WriteSessions(IReadOnlyList<LocalSlot> sessions) =>
        JsonSerializer.Serialize(sessions.Select(s => new SessionJson(s.Start, s.End)), Options);

    public static IReadOnlyList<LocalSlot> ReadSessions(string json) =>
        [.. JsonSerializer.Deserialize<SessionJson[]>(json, Options)!.Select(s => new LocalSlot(s.Start, s.End))];

    /// <summary><c>["2027-01-01","2027-02-10"]</c>.</summary>
    public static string WriteDates(IReadOnlyList<DateOnly> dates) => JsonSerializer.Serialize(dates, Options);

    public static IReadOnlyList<DateOnly> ReadDates(string json) => JsonSerializer.Deserialize<DateOnly[]>(json, Options)!;

    /// <summary><c>["12-0a1b2c3d4e5f.webp"]</c>.</summary>
    public static string WriteStrings(IReadOnlyList<string> values) => JsonSerializer.Serialize(values, Options);

    public static IReadOnlyList<string> ReadStrings(string json) => JsonSerializer.Deserialize<string[]>(json, Options)!;

    private static string Time(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    private static TimeOnly Time(string text) => TimeOnly.ParseExact(text, "HH:mm", CultureInfo.InvariantCulture);

    private sealed record OpeningJson(string Open, string Close);

    private sealed record SessionJson(DateTime Start, DateTime End);
}
