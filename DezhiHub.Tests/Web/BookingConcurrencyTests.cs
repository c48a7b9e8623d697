using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using DezhiHub.Domain.Weddings;
using DezhiHub.Tests.Components;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Weddings;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web.Resources;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace DezhiHub.Tests.Web;

/// <summary>
/// "No race can give one hall to two couples", over real HTTP: 200 signed-in residents open the booking page of the
/// same slot, then all post its form at once. One hall slot → exactly one booking, everyone else is told it is taken;
/// a registration slot with 10 places → exactly 10. Never a server error.
/// </summary>
/// <remarks>
/// The 200 residents are new accounts (mobile numbers 135…) made once per run and shared by both tests; each test books
/// a new service of 红星社区, so the demo data and the other tests' bookings never get in the way.
/// </remarks>
[Collection(WebCollection.Name)]
public sealed partial class BookingConcurrencyTests(AppFactory app)
{
    private const int Racers = 200;
    private const int SignInsAtOnce = 8;

    private static readonly SemaphoreSlim ResidentsGate = new(1, 1);
    private static (AppFactory App, IReadOnlyList<AppClient> Clients)? _residents;

    [Fact]
    public async Task TwoHundredResidents_PostingForOneHallSlotAtOnce_GetExactlyOneBooking_TheRestAreToldItIsTaken()
    {
        var residents = await ResidentsAsync();
        var (hall, start) = await ServiceAsync(WeddingServiceKind.CeremonyHall, capacity: 1);

        var outcomes = await RaceAsync(residents, BookingPageText.BookPath(hall, start));

        Assert.All(outcomes, o => Assert.Equal(HttpStatusCode.OK, o.Status));
        var winner = Assert.Single(outcomes, o => o.BookingId is not null);
        Assert.Equal(nameof(BookingStatus.Requested), winner.State); // a hall waits for review
        var taken = Localized("Booking.SlotTaken");
        Assert.All(outcomes.Where(o => o.BookingId is null), o =>
        {
            Assert.Equal("Booking.SlotTaken", o.Code);
            Assert.Contains(taken, o.Html);
        });

        // The database agrees: one booking, holding every half hour of the slot and its cleaning buffer.
        await using var db = await NewDbAsync();
        var bookings = await db.Bookings.AsNoTracking().Where(b => b.ResourceId == hall).ToListAsync();
        var booking = Assert.Single(bookings);
        Assert.Equal(winner.BookingId, booking.Id);
        Assert.Equal((start, BookingStatus.Requested), (booking.SlotStartUtc, booking.Status));
        var claims = await db.SlotClaims.AsNoTracking().Where(c => c.ResourceId == hall).ToListAsync();
        Assert.Equal(10, claims.Count); // 4 hours + 1 hour of cleaning, in half hours
        Assert.All(claims, c => Assert.Equal(booking.Id, c.BookingId));
        Assert.Equal(1, await db.BookingEvents.CountAsync(e => e.BookingId == booking.Id));
    }

    [Fact]
    public async Task TwoHundredResidents_PostingForATenPlaceSlotAtOnce_GetExactlyTenPlaces_TheRestAreToldItIsFull()
    {
        var residents = await ResidentsAsync();
        var (office, start) = await ServiceAsync(WeddingServiceKind.RegistrationAppointment, capacity: 10);

        var outcomes = await RaceAsync(residents, BookingPageText.BookPath(office, start));

        Assert.All(outcomes, o => Assert.Equal(HttpStatusCode.OK, o.Status));
        var winners = outcomes.Where(o => o.BookingId is not null).ToList();
        Assert.Equal(10, winners.Count);
        Assert.All(winners, w => Assert.Equal(nameof(BookingStatus.Approved), w.State)); // no review for registration
        var full = Localized("Booking.SlotFull");
        Assert.All(outcomes.Where(o => o.BookingId is null), o =>
        {
            Assert.Equal("Booking.SlotFull", o.Code);
            Assert.Contains(full, o.Html);
        });

        await using var db = await NewDbAsync();
        var bookings = await db.Bookings.AsNoTracking().Where(b => b.ResourceId == office).ToListAsync();
        Assert.Equal(10, bookings.Count);
        Assert.Equal(winners.Select(w => w.BookingId!.Value).Order(), bookings.Select(b => b.Id).Order());
        Assert.All(bookings, b => Assert.Equal((start, BookingStatus.Approved), (b.SlotStartUtc, b.Status)));
        Assert.Equal(10, bookings.Select(b => b.ApplicantUserId).Distinct().Count());
        var count = Assert.Single(await db.SlotCounts.AsNoTracking().Where(c => c.ResourceId == office).ToListAsync());
        Assert.Equal((start, 10), (count.SlotStartUtc, count.Taken));
    }

    /// <summary>
    /// Every resident opens the booking page (which must offer the form), then all post it at the same moment, each with
    /// their own cookies and antiforgery token, each over their own connection.
    /// </summary>
    private static async Task<List<Outcome>> RaceAsync(IReadOnlyList<AppClient> residents, string path)
    {
        var forms = new List<KeyValuePair<string, string>>[residents.Count];
        using (var pages = new SemaphoreSlim(16))
        {
            await Task.WhenAll(residents.Select(async (client, i) =>
            {
                await pages.WaitAsync();
                try
                {
                    using var response = await client.GetAsync(path);
                    var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    Assert.Contains("data-testid=\"book-confirm\"", html);
                    forms[i] = [.. HiddenFields(html), new("Input.PartnerName", $"伴侣{i}"), new("Input.Note", "")];
                }
                finally
                {
                    pages.Release();
                }
            }));
        }

        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var posts = residents.Select((client, i) => Task.Run(async () =>
        {
            await go.Task;
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(forms[i]) };
            request.Headers.Referrer = new Uri(client.Http.BaseAddress!, path);
            using var response = await client.Http.SendAsync(request);
            return Outcome.Of(response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
        })).ToList();
        go.SetResult();
        return [.. await Task.WhenAll(posts)];
    }

    /// <summary>200 new residents (no role) with the demo password, each signed in through the sign-in form once per run.</summary>
    private async Task<IReadOnlyList<AppClient>> ResidentsAsync()
    {
        await ResidentsGate.WaitAsync();
        try
        {
            if (_residents is { } made && made.App == app)
            {
                return made.Clients;
            }

            var phones = await NewResidentsAsync();
            var clients = new AppClient[phones.Count];
            using var signIns = new SemaphoreSlim(SignInsAtOnce);
            await Task.WhenAll(phones.Select(async (phone, i) =>
            {
                await signIns.WaitAsync();
                try
                {
                    clients[i] = app.NewClient();
                    Assert.True(await clients[i].SignInAsync(phone), $"{phone} could not sign in");
                }
                finally
                {
                    signIns.Release();
                }
            }));
            _residents = (app, clients);
            return clients;
        }
        finally
        {
            ResidentsGate.Release();
        }
    }

    private async Task<List<string>> NewResidentsAsync()
    {
        // One PBKDF2 hash of the demo password shared by every account (hashing 200 times would take a minute here).
        await using var scope = app.Services.CreateAsyncScope();
        var hash = scope.ServiceProvider.GetRequiredService<IPasswordHasher<AppUser>>().HashPassword(new AppUser(), Demo.Password);
        var first = Random.Shared.Next(0, 99_000_000);
        await using var db = await NewDbAsync();
        var community = await db.OrgNodes.AsNoTracking().Where(n => n.Name == "红星社区").Select(n => n.Id).SingleAsync();
        var users = Enumerable.Range(first, Racers).Select(i => new AppUser
        {
            UserName = $"135{i:D8}",
            NormalizedUserName = $"135{i:D8}",
            PhoneNumber = $"135{i:D8}",
            RealName = $"抢约居民{i % 1000:D3}",
            OrgNodeId = community,
            PasswordHash = hash,
            SecurityStamp = Guid.NewGuid().ToString("N"),
            ConcurrencyStamp = Guid.NewGuid().ToString(),
            LockoutEnabled = true,
            CreatedAtUtc = DateTime.UtcNow,
        }).ToList();
        db.Users.AddRange(users);
        await db.SaveChangesAsync();
        return [.. users.Select(u => u.PhoneNumber!)];
    }

    /// <summary>A new service of 红星社区 open every day, and its first slot ten days from now (not on a lottery date).</summary>
    private async Task<(int Id, DateTime StartUtc)> ServiceAsync(WeddingServiceKind kind, int capacity)
    {
        var time = app.Services.GetRequiredService<DisplayTime>();
        await using var db = await NewDbAsync();
        var node = await db.OrgNodes.AsNoTracking().SingleAsync(n => n.Name == "红星社区");
        var lotteryDates = await db.LotteryDates.AsNoTracking().Select(l => l.Date).ToListAsync();
        var exclusive = kind.IsExclusive();
        var resource = WeddingResource.Create(new WeddingResourceDetails
        {
            Kind = kind,
            Name = $"抢约测试{(exclusive ? "礼堂" : "办证大厅")} {Random.Shared.Next(10_000, 99_999)}",
            Location = "红星社区党群服务中心",
            Seats = exclusive ? 120 : null,
            OrgNodeId = node.Id,
            Hours = WeeklyHours.Uniform(new TimeOnly(8, 0), new TimeOnly(20, 0), Enum.GetValues<DayOfWeek>()).ToString(),
            SlotMinutes = exclusive ? 240 : 30,
            BufferMinutes = exclusive ? 60 : 0,
            Capacity = capacity,
            Rules = new BookingRules
            {
                MinNoticeDays = 1,
                MaxAdvanceDays = 60,
                HouseholdLimit = 20,
                RequiresApproval = exclusive,
            },
        }, node.Path, DateTime.UtcNow);
        db.WeddingResources.Add(resource);
        await db.SaveChangesAsync();

        var day = DateOnly.FromDateTime(time.LocalNow).AddDays(10);
        while (lotteryDates.Contains(day))
        {
            day = day.AddDays(1);
        }

        var slot = resource.SlotsOn(day)[0];
        Assert.Equal(new TimeOnly(8, 0), TimeOnly.FromDateTime(slot.Start));
        return (resource.Id, time.ToUtc(slot.Start));
    }

    private string Localized(string key)
    {
        using var culture = CultureScope.Use("zh-CN");
        return app.Services.GetRequiredService<IStringLocalizer<Strings>>()[key].Value;
    }

    private Task<AppDbContext> NewDbAsync() => app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();

    private static List<KeyValuePair<string, string>> HiddenFields(string html) =>
        [.. HiddenInput().Matches(html).Select(m => KeyValuePair.Create(m.Groups["name"].Value, m.Groups["value"].Value))];

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInput();

    /// <summary>What one POST answered: booked (the result with its booking id and status) or refused (with the code).</summary>
    private sealed partial record Outcome(HttpStatusCode Status, int? BookingId, string? State, string? Code, string Html)
    {
        public static Outcome Of(HttpStatusCode status, string html)
        {
            var result = ResultPattern().Match(html);
            var refused = RefusedPattern().Match(html);
            return new Outcome(
                status,
                result.Success ? int.Parse(result.Groups["id"].Value, CultureInfo.InvariantCulture) : null,
                result.Success ? result.Groups["outcome"].Value : null,
                refused.Success ? refused.Groups["code"].Value : null,
                html);
        }

        // Success or refusal must be unambiguous, so both patterns name the page's own test ids.
        [GeneratedRegex("data-testid=\"book-result\" data-outcome=\"(?<outcome>\\w+)\" data-booking-id=\"(?<id>\\d+)\"")]
        private static partial Regex ResultPattern();

        [GeneratedRegex("data-testid=\"book-refused\" data-code=\"(?<code>[^\"]+)\"")]
        private static partial Regex RefusedPattern();

        public override string ToString() => $"{(int)Status} booking={BookingId} state={State} code={Code}";
    }
}
