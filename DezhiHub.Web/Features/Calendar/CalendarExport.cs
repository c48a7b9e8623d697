using System.Globalization;
using DezhiHub.Domain.Activities;
using DezhiHub.Web.Data;
using DezhiHub.Web.Resources;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace DezhiHub.Web.Features.Calendar;

/// <summary>
/// The app's iCalendar documents: one activity as a download, and a person's sign-ups as a subscribable feed.
/// Texts are in the current UI culture; times are UTC.
/// </summary>
public sealed class CalendarExport(
    IDbContextFactory<AppDbContext> dbFactory,
    CalendarFeedService feeds,
    IStringLocalizer<Strings> strings,
    IOptions<DezhiHubOptions> options,
    TimeProvider clock)
{
    /// <summary>The feed keeps a month of the past, so a phone still shows what the person recently attended.</summary>
    public static readonly TimeSpan FeedHistory = TimeSpan.FromDays(30);

    /// <summary>A bound on one feed's size, far above what a person signs up for.</summary>
    public const int FeedMaxEvents = 500;

    public static readonly TimeSpan FeedAlarm = TimeSpan.FromHours(1);

    public static readonly TimeSpan FeedRefresh = TimeSpan.FromHours(1);

    /// <summary>One activity as an .ics document; null for a draft or a missing activity (not public).</summary>
    public async Task<string?> ActivityAsync(int activityId, Uri baseUri, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Activities.AsNoTracking()
            .Where(a => a.Id == activityId && a.Status != ActivityStatus.Draft)
            .Select(a => new EventRow(a.Id, a.Title, a.Description, a.Place, a.StartUtc, a.EndUtc, a.Status, a.CancelReason, a.UpdatedAtUtc, null))
            .SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        var header = new CalendarHeader(strings["Calendar.ActivityCalendarName"], options.Value.TimeZone);
        return ICalendarWriter.Write(header, [ToEvent(row, baseUri, alarm: null)], clock.GetUtcNow().UtcDateTime);
    }

    /// <summary>
    /// The feed of the token's owner: their active sign-ups (confirmed and waitlisted) for activities from
    /// <see cref="FeedHistory"/> ago onward. Null when the token is not (or no longer) anyone's.
    /// </summary>
    public async Task<string?> FeedAsync(string token, Uri baseUri, CancellationToken cancellationToken = default)
    {
        if (await feeds.FindOwnerAsync(token, cancellationToken) is not { } userId)
        {
            return null;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var since = now - FeedHistory;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await (
            from r in db.Registrations.AsNoTracking()
            join a in db.Activities.AsNoTracking() on r.ActivityId equals a.Id
            where r.UserId == userId && r.Status != RegistrationStatus.Cancelled
                && a.Status != ActivityStatus.Draft && a.StartUtc >= since
            orderby a.StartUtc, a.Id
            select new EventRow(a.Id, a.Title, a.Description, a.Place, a.StartUtc, a.EndUtc, a.Status, a.CancelReason, a.UpdatedAtUtc, r.Status))
            .Take(FeedMaxEvents)
            .ToListAsync(cancellationToken);

        var header = new CalendarHeader(strings["Calendar.FeedName"], options.Value.TimeZone) { RefreshInterval = FeedRefresh };
        return ICalendarWriter.Write(header, rows.Select(r => ToEvent(r, baseUri, FeedAlarm)), now);
    }

    private CalendarEvent ToEvent(EventRow row, Uri baseUri, TimeSpan? alarm)
    {
        var cancelled = row.Status == ActivityStatus.Cancelled;
        var link = new Uri(baseUri, $"activities/{row.Id.ToString(CultureInfo.InvariantCulture)}");
        var summary = cancelled ? strings["Calendar.CancelledSummary", row.Title].Value
            : row.SignUp == RegistrationStatus.Waitlisted ? strings["Calendar.WaitlistedSummary", row.Title].Value
            : row.Title;
        var description = new List<string>();
        if (cancelled && !string.IsNullOrWhiteSpace(row.CancelReason))
        {
            description.Add(strings["Calendar.CancelReason", row.CancelReason]);
        }

        if (!string.IsNullOrWhiteSpace(row.Description))
        {
            description.Add(row.Description);
        }

        description.Add(link.AbsoluteUri);
        return new CalendarEvent
        {
            Uid = Uid(row.Id),
            StartUtc = row.StartUtc,
            EndUtc = row.EndUtc,
            Summary = summary,
            Location = row.Place,
            Description = string.Join("\n\n", description),
            Cancelled = cancelled,
            Url = link,
            LastModifiedUtc = row.UpdatedAtUtc,
            AlarmBefore = alarm,
        };
    }

    /// <summary>The same for the download and the feed, so importing one and subscribing to the other does not double it.</summary>
    public static string Uid(int activityId) => $"activity-{activityId.ToString(CultureInfo.InvariantCulture)}@dezhihub";

    private sealed record EventRow(
        int Id,
        string Title,
        string Description,
        string Place,
        DateTime StartUtc,
        DateTime EndUtc,
        ActivityStatus Status,
        string? CancelReason,
        DateTime UpdatedAtUtc,
        RegistrationStatus? SignUp);
}
