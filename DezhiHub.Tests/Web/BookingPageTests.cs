using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using DezhiHub.Domain.Weddings;
using DezhiHub.Tests.Components;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Weddings;
using DezhiHub.Web.Platform.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DezhiHub.Tests.Web;

/// <summary>
/// The resident's side of wedding bookings over real HTTP: the hub and a service's calendar for anyone, the booking
/// page behind a sign-in (GET shows the slot and its rules, POST books it), and "my bookings". Every refusal is a
/// localized message, nothing is booked twice, and nobody learns who took a slot.
/// </summary>
/// <remarks>
/// Each test adds its own services of 红星社区 (so their slots are its own) and books as residents of the demo city
/// handed out one per role in the test; the services allow 20 active bookings per household, so other tests'
/// bookings of the same people never get in the way.
/// </remarks>
[Collection(WebCollection.Name)]
public sealed partial class BookingPageTests(AppFactory app)
{
    [Fact]
    public async Task TheBookPage_SendsAnAnonymousVisitorToSignIn_AndBackToTheSlot()
    {
        var hall = await BookingTestData.ResourceAsync(app.Services);
        var path = BookingPageText.BookPath(hall, Slot(5));
        var (registrar, phone, _) = await NewResidentAsync();
        registrar.Dispose();
        using var client = app.NewClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login", response.Headers.Location!.AbsolutePath);
        Assert.Equal(path, QueryValue(response.Headers.Location!, "returnUrl"));
        using var signIn = await client.SubmitFormAsync($"/account/login?returnUrl={Uri.EscapeDataString(path)}", new Dictionary<string, string>
        {
            ["Input.Phone"] = phone,
            ["Input.Password"] = Password,
        });
        Assert.Equal(path, new Uri(app.BaseAddress, signIn.Headers.Location!).PathAndQuery);
        Assert.Contains("data-testid=\"book-confirm\"", await PageAsync(client, path));
    }

    [Fact]
    public async Task TheBookPage_ShowsTheService_TheSlotInLocalTime_TheRules_AndTheForm()
    {
        using var culture = CultureScope.Use("zh-CN");
        var hall = await BookingTestData.ResourceAsync(app.Services, name: "表单测试礼堂");
        var start = Slot(5, hour: 12);
        using var client = await ResidentClientAsync();

        var html = await PageAsync(client, BookingPageText.BookPath(hall, start));

        Assert.Contains("表单测试礼堂", html);
        Assert.Contains($"{DayName(start)} 12:00–16:00", html);
        Assert.Contains("提交后需审核，最迟", html);
        Assert.Contains($"{BookingPageText.Moment(Time, start.AddHours(-48))} 前可取消（开始前 48 小时）。", html);
        Assert.Contains("name=\"Input.PartnerName\"", html);
        Assert.Contains("name=\"Input.Note\"", html);
        Assert.Contains("name=\"__RequestVerificationToken\"", html);
        Assert.Contains("提交预约申请", html);
    }

    [Fact]
    public async Task Confirming_RequestsTheSlot_WithPartnerAndNote_AndSaysByWhenItIsReviewed()
    {
        using var culture = CultureScope.Use("zh-CN");
        var hall = await BookingTestData.ResourceAsync(app.Services);
        var start = Slot(6);
        var (client, phone, _) = await NewResidentAsync();
        using var owned = client;

        using var response = await client.SubmitFormAsync(BookingPageText.BookPath(hall, start), new Dictionary<string, string>
        {
            ["Input.PartnerName"] = " 孙丽 ",
            ["Input.Note"] = "约 60 人，简约仪式",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = Decode(await response.Content.ReadAsStringAsync());
        var booking = Assert.Single(await BookingTestData.BookingsAsync(app.Services, hall, start));
        Assert.Equal(BookingStatus.Requested, booking.Status);
        Assert.Equal(await BookingTestData.UserIdAsync(app.Services, phone), booking.ApplicantUserId);
        Assert.Equal("孙丽", booking.PartnerName);
        Assert.Equal("约 60 人，简约仪式", booking.Note);
        Assert.Contains("data-outcome=\"Requested\"", html);
        Assert.Contains("预约申请已提交", html);
        Assert.Contains($"等待审核，最迟 {BookingPageText.Moment(Time, booking.ReviewDueUtc!.Value)} 答复", html);
        Assert.Contains("href=\"/bookings\"", html);
    }

    [Fact]
    public async Task ANoteOrNameTooLong_ShowsTheFormAgainWithWhatIsWrong_AndBooksNothing()
    {
        var hall = await BookingTestData.ResourceAsync(app.Services);
        var path = BookingPageText.BookPath(hall, Slot(5));
        using var client = await ResidentClientAsync();

        using var response = await client.SubmitFormAsync(path, new Dictionary<string, string>
        {
            ["Input.PartnerName"] = new string('李', 41),
            ["Input.Note"] = new string('备', 201),
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = Decode(await response.Content.ReadAsStringAsync());
        Assert.Contains("配偶姓名最多 40 个字。", html);
        Assert.Contains("备注最多 200 个字。", html);
        Assert.Contains("data-testid=\"book-confirm\"", html);
        Assert.Contains(new string('备', 201), html);
        Assert.Empty(await BookingTestData.BookingsOfResourceAsync(app.Services, hall));
    }

    [Fact]
    public async Task Confirming_AServiceWithoutReview_IsApprovedAtOnce_InEnglishToo()
    {
        var office = await BookingTestData.ResourceAsync(app.Services, WeddingServiceKind.RegistrationAppointment, approval: false, capacity: 4);
        var start = Slot(7, hour: 8);
        using var client = await ResidentClientAsync("en-US");

        var form = await PageAsync(client, BookingPageText.BookPath(office, start));
        using var response = await client.SubmitFormAsync(BookingPageText.BookPath(office, start), new Dictionary<string, string>());

        Assert.Contains("No review needed: the booking is confirmed at once, with a voucher.", form);
        Assert.Contains("Book this slot", form);
        var html = Decode(await response.Content.ReadAsStringAsync());
        Assert.Contains("data-outcome=\"Approved\"", html);
        Assert.Contains("Booked", html);
        Assert.Contains("show its QR code from \"My bookings\"", html);
        Assert.Equal(BookingStatus.Approved, Assert.Single(await BookingTestData.BookingsAsync(app.Services, office, start)).Status);
    }

    [Fact]
    public async Task ASlotTakenWhileTheFormWasOpen_IsRefusedInChineseAndEnglish_AndNotBookedTwice()
    {
        var hall = await BookingTestData.ResourceAsync(app.Services);
        var start = Slot(8);
        var path = BookingPageText.BookPath(hall, start);
        using var first = await ResidentClientAsync();
        using var second = await ResidentClientAsync();
        using var third = await ResidentClientAsync("en-US");
        var secondFields = HiddenFields(await PageAsync(second, path));
        var thirdFields = HiddenFields(await PageAsync(third, path));

        using var won = await first.SubmitFormAsync(path, new Dictionary<string, string>());
        using var lostZh = await PostAsync(second, path, secondFields);
        using var lostEn = await PostAsync(third, path, thirdFields);
        var afterwards = await PageAsync(second, path);

        Assert.Contains("data-outcome=\"Requested\"", Decode(await won.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.OK, lostZh.StatusCode);
        var zh = Decode(await lostZh.Content.ReadAsStringAsync());
        Assert.Contains("data-code=\"Booking.SlotTaken\"", zh);
        Assert.Contains("该时段已被预约，请选择其他时段。", zh);
        Assert.Contains($"href=\"{BookingPageText.ServicePath(hall, LocalDate(start))}\"", zh);
        Assert.Contains("This slot is already taken. Please choose another one.", Decode(await lostEn.Content.ReadAsStringAsync()));
        Assert.Contains("该时段已被预约，请选择其他时段。", afterwards);
        Assert.DoesNotContain("book-confirm", afterwards);
        Assert.Single(await BookingTestData.BookingsAsync(app.Services, hall, start));
    }

    [Theory]
    [InlineData(WeddingServiceKind.CeremonyHall)]
    [InlineData(WeddingServiceKind.CounselingSession)]
    public async Task ADoubleSubmit_MakesOneBooking_AndEveryRepeatGetsItsReceipt_WhileASecondTabIsToldItIsAlreadyTheirs(WeddingServiceKind kind)
    {
        // The counselling class allows 20 bookings per household and has 30 seats: only the request id and the same-slot
        // rule stop a repeat.
        var service = await BookingTestData.ResourceAsync(app.Services, kind, capacity: kind == WeddingServiceKind.CeremonyHall ? 1 : 30);
        var start = Slot(9);
        var path = BookingPageText.BookPath(service, start);
        var (client, phone, _) = await NewResidentAsync();
        using var _client = client;
        var fields = HiddenFields(await PageAsync(client, path));
        var secondTab = HiddenFields(await PageAsync(client, path));
        Assert.Contains(fields, f => f.Key == "Input.RequestId" && Guid.TryParseExact(f.Value, "N", out _));
        Assert.NotEqual(fields.Single(f => f.Key == "Input.RequestId").Value, secondTab.Single(f => f.Key == "Input.RequestId").Value);

        using var once = await PostAsync(client, path, fields);
        using var twice = await PostAsync(client, path, fields);
        var burst = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            using var response = await PostAsync(client, path, fields);
            return (response.StatusCode, Html: Decode(await response.Content.ReadAsStringAsync()));
        }));
        using var fromTheOtherTab = await PostAsync(client, path, secondTab);
        var revisit = await PageAsync(client, path);

        var booked = Assert.Single(await BookingTestData.BookingsAsync(app.Services, service, start));
        var receipt = $"data-outcome=\"Requested\" data-booking-id=\"{booked.Id}\"";
        Assert.Contains(receipt, Decode(await once.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.OK, twice.StatusCode);
        Assert.Contains(receipt, Decode(await twice.Content.ReadAsStringAsync()));
        Assert.All(burst, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.All(burst, r => Assert.Contains(receipt, r.Html));
        var other = Decode(await fromTheOtherTab.Content.ReadAsStringAsync());
        Assert.Contains("您已预约过这个时段，无需重复提交。", other);
        Assert.Contains("href=\"/bookings\"", other);
        Assert.Contains("您已预约这个时段（待审核），无需重复预约。", revisit);
        if (kind != WeddingServiceKind.CeremonyHall)
        {
            Assert.Equal(1, await BookingTestData.PlacesTakenAsync(app.Services, service, start));
        }

        // Sent again after the resident cancelled it, the form says what became of that booking and books nothing.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var resident = await BookingTestData.PrincipalAsync(scope.ServiceProvider, phone);
            await scope.ServiceProvider.GetRequiredService<BookingService>().CancelAsync(resident, booked.Id);
        }

        using var afterCancel = await PostAsync(client, path, fields);
        var handled = Decode(await afterCancel.Content.ReadAsStringAsync());
        Assert.Contains("data-code=\"BookPage.AlreadyHandled\"", handled);
        Assert.Contains("这张预约单已经提交过，现在的状态是“已取消”。", handled);
        Assert.Single(await BookingTestData.BookingsOfResourceAsync(app.Services, service));
    }

    [Fact]
    public async Task AResidentAtTheHouseholdLimit_IsToldSoOnTheCalendarAndBeforeTheForm_NamingTheBookingInTheWay_AndAPostBooksNothing()
    {
        var name = $"限额测试总管{Random.Shared.Next(1000, 9999)}";
        var steward = await BookingTestData.ResourceAsync(app.Services, WeddingServiceKind.FolkSteward, householdLimit: 1, name: name);
        var other = await BookingTestData.ResourceAsync(app.Services, WeddingServiceKind.FolkSteward, householdLimit: 1);
        using var client = await ResidentClientAsync("en-US");
        var fields = HiddenFields(await PageAsync(client, BookingPageText.BookPath(other, Slot(6))));
        using var first = await client.SubmitFormAsync(BookingPageText.BookPath(steward, Slot(5)), new Dictionary<string, string>());
        string expected;
        using (CultureScope.Use("en-US"))
        {
            expected = $"You already have 1 active booking of this kind ({name} {Time.FormatDateTime(Slot(5))}); cancel one first to book again.";
        }

        var calendar = await PageAsync(client, BookingPageText.ServicePath(other, null));
        var html = await PageAsync(client, BookingPageText.BookPath(other, Slot(6)));
        using var posted = await PostAsync(client, BookingPageText.BookPath(other, Slot(6)), fields);

        Assert.Contains("data-outcome=\"Requested\"", Decode(await first.Content.ReadAsStringAsync()));
        // The calendar says it up front, with the way out, and offers no slot that could only be refused.
        Assert.Matches($"data-testid=\"svc-household-limit\"[\\s\\S]*?{Regex.Escape(expected)}[\\s\\S]*?href=\"/bookings\"", calendar);
        Assert.DoesNotContain("data-state=\"Free\"", calendar);
        Assert.Contains("data-state=\"HouseholdLimit\"", calendar);
        // The booking page too, before the form; and a form posted from an older page is refused the same way.
        Assert.Contains(expected, html);
        Assert.DoesNotContain("book-confirm", html);
        Assert.Contains("href=\"/bookings\"", html);
        Assert.Contains(expected, Decode(await posted.Content.ReadAsStringAsync()));
        Assert.Empty(await BookingTestData.BookingsOfResourceAsync(app.Services, other));
    }

    [Fact]
    public async Task AResidentWithinTheLimit_SeesFreeSlots_AndNoLimitNotice()
    {
        var steward = await BookingTestData.ResourceAsync(app.Services, WeddingServiceKind.FolkSteward, householdLimit: 1);
        using var client = await ResidentClientAsync("en-US");

        var calendar = await PageAsync(client, BookingPageText.ServicePath(steward, null));

        Assert.Contains("data-state=\"Free\"", calendar);
        Assert.DoesNotContain("svc-household-limit", calendar);
    }

    [Theory]
    [InlineData("abc", "20261205T0000", HttpStatusCode.BadRequest, "这个预约链接无效")]
    [InlineData("{id}", "2026-12-05", HttpStatusCode.BadRequest, "这个预约链接无效")]
    [InlineData("{id}", "20261399T9999", HttpStatusCode.BadRequest, "这个预约链接无效")]
    [InlineData("{id}", "%E4%BA%8C", HttpStatusCode.BadRequest, "这个预约链接无效")]
    [InlineData("999999", "{start}", HttpStatusCode.NotFound, "页面不存在")]
    [InlineData("{id}", "{off-grid}", HttpStatusCode.OK, "没有这个可预约时段，请在日历中重新选择。")]
    [InlineData("{id}", "{too-soon}", HttpStatusCode.OK, "需至少提前 3 天预约。")]
    public async Task ABadLink_IsAClearMessage_NeverAServerError_AndPostingToItBooksNothing(string id, string start, HttpStatusCode status, string message)
    {
        var hall = await BookingTestData.ResourceAsync(app.Services, minNotice: 3);
        var good = Slot(5);
        var path = $"/weddings/book/{id.Replace("{id}", hall.ToString(CultureInfo.InvariantCulture))}/" + start
            .Replace("{start}", BookingPageText.SlotKey(good))
            .Replace("{off-grid}", BookingPageText.SlotKey(good.AddMinutes(75)))
            .Replace("{too-soon}", BookingPageText.SlotKey(Slot(1, hour: 12)));
        using var client = await ResidentClientAsync();

        using var get = await client.GetAsync(path);
        var fields = HiddenFields(await PageAsync(client, BookingPageText.BookPath(hall, good)));
        using var post = await PostAsync(client, path, fields);

        Assert.Equal(status, get.StatusCode);
        Assert.Contains(message, Decode(await get.Content.ReadAsStringAsync()));
        Assert.DoesNotContain("book-confirm", Decode(await get.Content.ReadAsStringAsync()));
        Assert.True(post.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"POST answered {post.StatusCode}");
        Assert.Contains(message, Decode(await post.Content.ReadAsStringAsync()));
        Assert.Empty(await BookingTestData.BookingsOfResourceAsync(app.Services, hall));
    }

    [Fact]
    public async Task TheHub_ShowsEveryKindOfService_ToAnAnonymousVisitor_WithoutACircuit()
    {
        var hall = await BookingTestData.ResourceAsync(app.Services, name: "浏览测试礼堂");
        var package = await BookingTestData.ResourceAsync(app.Services, WeddingServiceKind.AlliancePackage, capacity: 2, approval: true, name: "浏览测试套餐");
        using var client = app.NewClient();

        var html = await PageAsync(client, "/weddings");

        foreach (var kind in Enum.GetValues<WeddingServiceKind>())
        {
            Assert.Contains($"data-kind=\"{kind}\"", html);
        }

        Assert.Contains($"href=\"/weddings/services/{hall}\"", html);
        Assert.Contains("浏览测试礼堂", html);
        Assert.Contains("80 座", html);
        Assert.Matches($"href=\"/weddings/services/{package}\"[\\s\\S]*?需审核[\\s\\S]*?限价 ¥5000 · 提供方：陈静 · 每时段 2 对", html);
        Assert.Contains("href=\"/weddings/pledge\"", html);
        Assert.Contains("href=\"/weddings/plan\"", html);
        Assert.Contains("href=\"/bookings\"", html);
        Assert.Contains("无需登录即可浏览，预约前请先登录。", html);
        Assert.DoesNotContain("<!--Blazor:{\"type\":\"server\"", html);
    }

    [Fact]
    public async Task TheCalendar_ShowsFourteenDaysOfSlots_WithLinksToBook_ToAnAnonymousVisitor()
    {
        using var culture = CultureScope.Use("zh-CN");
        var hall = await BookingTestData.ResourceAsync(app.Services, name: "日历测试礼堂", minNotice: 3);
        using var client = app.NewClient();

        var html = await PageAsync(client, BookingPageText.ServicePath(hall));

        Assert.Contains("日历测试礼堂", html);
        Assert.Equal(14, Days().Count(html));
        Assert.Contains($"data-date=\"{Today:yyyy-MM-dd}\"", html);
        var free = Slot(5, hour: 12);
        Assert.Contains($"href=\"{BookingPageText.BookPath(hall, free)}\" data-testid=\"slot\" data-state=\"Free\"", html);
        Assert.Matches($"data-state=\"Unavailable\" data-reason=\"Booking.TooSoon\" data-start=\"{BookingPageText.SlotKey(Slot(1, hour: 12))}\"[^>]*>\\s*<span class=\"slot-time\"[^>]*>12:00–16:00</span>\\s*<span class=\"slot-label\"[^>]*>需提前 3 天</span>", html);
        Assert.Contains("至少提前 3 天、最多提前 60 天预约", html);
        Assert.Contains("图例说明", html);
        Assert.Contains("预约需要先登录。", html);
        Assert.DoesNotContain("<!--Blazor:{\"type\":\"server\"", html);
    }

    [Theory]
    [InlineData("999999")]
    [InlineData("abc")]
    [InlineData("-1")]
    public async Task TheCalendarOfAnUnknownService_Answers404_WithTheFriendlyPage(string id)
    {
        using var client = app.NewClient();

        using var response = await client.GetAsync($"/weddings/services/{id}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("页面不存在", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task TheCalendar_PagesByFourteenDays_NeitherBeforeTodayNorBeyondTheMaximumAdvance()
    {
        var hall = await BookingTestData.ResourceAsync(app.Services, maxAdvance: 30);
        using var client = app.NewClient();

        var past = await PageAsync(client, $"/weddings/services/{hall}?from=2000-01-01");
        var second = await PageAsync(client, BookingPageText.ServicePath(hall, Today.AddDays(14)));
        var future = await PageAsync(client, $"/weddings/services/{hall}?from=2100-01-01");
        var garbage = await PageAsync(client, $"/weddings/services/{hall}?from=%3Cscript%3E");

        Assert.Equal(Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Days().Match(past).Groups["date"].Value);
        Assert.DoesNotContain("data-testid=\"svc-previous\"", past);
        Assert.Contains($"href=\"{BookingPageText.ServicePath(hall, Today.AddDays(14))}\" data-testid=\"svc-next\"", past);
        Assert.Contains($"href=\"{BookingPageText.ServicePath(hall, Today)}\" data-testid=\"svc-previous\"", second);
        Assert.Contains($"href=\"{BookingPageText.ServicePath(hall, Today.AddDays(28))}\" data-testid=\"svc-next\"", second);
        Assert.Equal(Today.AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Days().Match(future).Groups["date"].Value);
        Assert.DoesNotContain("data-testid=\"svc-next\"", future);
        Assert.Contains("data-reason=\"Booking.TooFarAhead\"", future);
        Assert.Contains("尚未开放", future);
        Assert.Equal(Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Days().Match(garbage).Groups["date"].Value);
    }

    [Fact]
    public async Task TheCalendar_ShowsATakenSlotAsTaken_AndNeverWhoTookIt()
    {
        var hall = await BookingTestData.ResourceAsync(app.Services);
        var start = Slot(10, hour: 16);
        var (booker, phone, name) = await NewResidentAsync();
        using (booker)
        {
            using var booked = await booker.SubmitFormAsync(BookingPageText.BookPath(hall, start), new Dictionary<string, string>
            {
                ["Input.PartnerName"] = "欧阳娜娜",
                ["Input.Note"] = "请勿外传的备注",
            });
            Assert.Contains("data-outcome=\"Requested\"", Decode(await booked.Content.ReadAsStringAsync()));
        }

        using var anonymous = app.NewClient();
        using var neighbour = await ResidentClientAsync();
        var path = BookingPageText.ServicePath(hall, LocalDate(start));
        foreach (var html in new[] { await PageAsync(anonymous, path), await PageAsync(neighbour, path), await PageAsync(neighbour, BookingPageText.BookPath(hall, start)) })
        {
            Assert.DoesNotContain(name, html);
            Assert.DoesNotContain(phone, html);
            Assert.DoesNotContain("欧阳娜娜", html);
            Assert.DoesNotContain("请勿外传的备注", html);
        }

        var calendar = await PageAsync(anonymous, path);
        Assert.Matches($"<span class=\"slot slot-taken\"[^>]*data-state=\"Taken\" data-start=\"{BookingPageText.SlotKey(start)}\"[^>]*>\\s*<span class=\"slot-time\"[^>]*>16:00–20:00</span>\\s*<span class=\"slot-label\"[^>]*>已被预约</span>", calendar);
        Assert.DoesNotContain($"href=\"{BookingPageText.BookPath(hall, start)}\"", calendar);
    }

    [Fact]
    public async Task ACapacitySlot_ShowsThePlacesLeft_AndFillsUp()
    {
        var office = await BookingTestData.ResourceAsync(app.Services, WeddingServiceKind.RegistrationAppointment, approval: false, capacity: 2);
        var start = Slot(4, hour: 16);
        var path = BookingPageText.ServicePath(office, LocalDate(start));
        using var anonymous = app.NewClient();
        var before = await PageAsync(anonymous, path);

        foreach (var _ in Enumerable.Range(0, 2))
        {
            using var client = await ResidentClientAsync();
            using var booked = await client.SubmitFormAsync(BookingPageText.BookPath(office, start), new Dictionary<string, string>());
            Assert.Contains("data-outcome=\"Approved\"", Decode(await booked.Content.ReadAsStringAsync()));
        }

        using var late = await ResidentClientAsync();
        var after = await PageAsync(anonymous, path);
        var refused = await PageAsync(late, BookingPageText.BookPath(office, start));

        Assert.Matches($"data-state=\"Free\" data-start=\"{BookingPageText.SlotKey(start)}\"[^>]*>\\s*<span class=\"slot-time\"[^>]*>16:00–20:00</span>\\s*<span class=\"slot-label\"[^>]*>余 2</span>", before);
        Assert.Matches($"data-state=\"Full\" data-start=\"{BookingPageText.SlotKey(start)}\"[^>]*>\\s*<span class=\"slot-time\"[^>]*>16:00–20:00</span>\\s*<span class=\"slot-label\"[^>]*>已约满</span>", after);
        Assert.Contains("该时段名额已满，请选择其他时段。", refused);
        Assert.Equal(2, await BookingTestData.PlacesTakenAsync(app.Services, office, start));
    }

    [Fact]
    public async Task OnALotteryDate_AHallSlotIsEnteredIntoTheLottery()
    {
        using var culture = CultureScope.Use("zh-CN");
        var lottery = await BookingTestData.CollectingLotteryAsync(app.Services);
        var hall = await BookingTestData.ResourceAsync(app.Services, maxAdvance: 365);
        var start = Time.ToUtc(lottery.Date.ToDateTime(new TimeOnly(8, 0)));
        using var client = await ResidentClientAsync();

        var calendar = await PageAsync(client, BookingPageText.ServicePath(hall, lottery.Date));
        var form = await PageAsync(client, BookingPageText.BookPath(hall, start));
        using var response = await client.SubmitFormAsync(BookingPageText.BookPath(hall, start), new Dictionary<string, string>());
        var html = Decode(await response.Content.ReadAsStringAsync());

        Assert.Contains($"href=\"{BookingPageText.BookPath(hall, start)}\" data-testid=\"slot\" data-state=\"Lottery\"", calendar);
        Assert.Contains($"热门日期，摇号分配：{BookingPageText.Moment(Time, lottery.DeadlineUtc)} 前报名", calendar);
        Assert.Contains("参加热门日期摇号", form);
        Assert.Contains($"{BookingPageText.Moment(Time, lottery.DeadlineUtc)} 前报名，截止后公平摇号", form);
        Assert.Contains("data-outcome=\"InLottery\"", html);
        Assert.Contains("已参加摇号", html);
        Assert.Equal(BookingStatus.InLottery, Assert.Single(await BookingTestData.BookingsAsync(app.Services, hall, start)).Status);

        using var again = await PostAsync(client, BookingPageText.BookPath(hall, start), HiddenFields(form));
        Assert.Contains("您已参加这个时段的摇号。", Decode(await again.Content.ReadAsStringAsync()));
        Assert.Contains("您已参加这个时段的摇号。", await PageAsync(client, BookingPageText.BookPath(hall, start)));
        Assert.Single(await BookingTestData.BookingsAsync(app.Services, hall, start));
    }

    [Fact]
    public async Task MyBookings_ShowsTheHistory_TheDeclineReason_AndTheVoucherOfAnApprovedBooking()
    {
        using var culture = CultureScope.Use("zh-CN");
        var office = await BookingTestData.ResourceAsync(app.Services, WeddingServiceKind.RegistrationAppointment, approval: false, capacity: 4, name: "凭证测试登记处");
        var hall = await BookingTestData.ResourceAsync(app.Services, name: "拒绝测试礼堂");
        var (client, phone, _) = await NewResidentAsync();
        using var owned = client;
        var approved = await BookingTestData.BookAsync(app.Services, phone, office, Slot(3, hour: 8));
        var declined = await BookingTestData.BookAsync(app.Services, phone, hall, Slot(12));
        await BookingTestData.DeclineAsync(app.Services, declined, "当天礼堂检修");

        var html = await PageAsync(client, "/bookings");

        var token = app.Services.GetRequiredService<BookingVouchers>().Issue(approved);
        var approvedCard = Card(html, approved);
        Assert.Contains("data-status=\"Approved\"", approvedCard);
        Assert.Contains("凭证测试登记处", approvedCard);
        Assert.Contains($"src=\"{BookingPageText.QrSource(app.BaseAddress.ToString(), token)}\"", approvedCard);
        Assert.Contains(DezhiHub.Web.Features.Market.Vouchers.Grouped(token), approvedCard);
        Assert.Contains("data-testid=\"my-booking-cancel\"", approvedCard);
        var declinedCard = Card(html, declined);
        Assert.Contains("未通过原因：当天礼堂检修", declinedCard);
        Assert.Equal(["Requested", "Declined"], Steps().Matches(declinedCard).Select(m => m.Groups["status"].Value));
        Assert.DoesNotContain("my-booking-qr", declinedCard);
        Assert.DoesNotContain("my-booking-cancel", declinedCard);
    }

    private const string Password = "wedding booking passphrase";

    private static readonly int RunBase = Random.Shared.Next(0, 9_000_000);
    private static int _registered;

    private static DisplayTime Time => BookingTestData.Time;

    private static DateOnly Today => BookingTestData.Today;

    /// <summary>A slot of the test services (08:00, 12:00, 16:00 local, four hours each) <paramref name="days"/> days from today, as UTC.</summary>
    private static DateTime Slot(int days, int hour = 8) => BookingTestData.Slot(days, hour);

    private static DateOnly LocalDate(DateTime utc) => DateOnly.FromDateTime(Time.ToLocal(utc));

    private static string DayName(DateTime utc) =>
        DateText.Day(Time.ToLocal(utc), Time.LocalNow.Year);

    private async Task<AppClient> ResidentClientAsync(string? culture = null) => (await NewResidentAsync(culture)).Client;

    /// <summary>
    /// A resident of their own, registered through the real form (and so signed in): no other test's bookings count
    /// towards their household limit.
    /// </summary>
    private async Task<(AppClient Client, string Phone, string Name)> NewResidentAsync(string? culture = null)
    {
        var n = Interlocked.Increment(ref _registered);
        var phone = string.Create(CultureInfo.InvariantCulture, $"1376{(RunBase + n) % 10_000_000:D7}");
        var name = $"预约测试{(char)('甲' + (n % 10))}{n}";
        var client = app.NewClient(culture);
        using var response = await client.SubmitFormAsync("/account/register", new Dictionary<string, string>
        {
            ["Input.Phone"] = phone,
            ["Input.RealName"] = name,
            ["Input.Password"] = Password,
            ["Input.ConfirmPassword"] = Password,
            ["Input.OrgNodeId"] = (await BookingTestData.HongxingAsync(app.Services)).ToString(CultureInfo.InvariantCulture),
        });
        Assert.True(response.StatusCode == HttpStatusCode.Redirect && client.HasAuthCookie, $"registered {phone}");
        return (client, phone, name);
    }

    private static async Task<string> PageAsync(AppClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Decode(await response.Content.ReadAsStringAsync());
    }

    private static async Task<HttpResponseMessage> PostAsync(AppClient client, string path, List<KeyValuePair<string, string>> fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        return await client.Http.SendAsync(request);
    }

    private static List<KeyValuePair<string, string>> HiddenFields(string html) =>
        [.. HiddenInput().Matches(html).Select(m => KeyValuePair.Create(m.Groups["name"].Value, m.Groups["value"].Value))];

    /// <summary>The markup of one booking's card on "my bookings".</summary>
    private static string Card(string html, int bookingId)
    {
        var start = html.IndexOf($"data-booking-id=\"{bookingId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"booking {bookingId} is on the page");
        var end = html.IndexOf("</section>", start, StringComparison.Ordinal);
        return html[start..end];
    }

    private static string? QueryValue(Uri uri, string name) =>
        uri.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2))
            .Where(p => string.Equals(p[0], name, StringComparison.OrdinalIgnoreCase))
            .Select(p => Uri.UnescapeDataString(p[1])).FirstOrDefault();

    private static string Decode(string html) => WebUtility.HtmlDecode(html);

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInput();

    [GeneratedRegex("data-testid=\"svc-day\" data-date=\"(?<date>[0-9-]+)\"")]
    private static partial Regex Days();

    [GeneratedRegex("data-testid=\"my-booking-step\" data-status=\"(?<status>[A-Za-z]+)\"")]
    private static partial Regex Steps();
}

/// <summary>
/// Wedding services and bookings for the resident-side tests, made in the database of a running app (or a
/// <see cref="FeatureHost"/>): services of the <see cref="HostCommunity"/> open every day 08:00–20:00 in four-hour
/// slots, and residents of the demo city handed out one at a time.
/// </summary>
internal static class BookingTestData
{
    private static int _nextResident;

    public static DisplayTime Time { get; } = new(Microsoft.Extensions.Options.Options.Create(new DezhiHub.Web.DezhiHubOptions()), TimeProvider.System);

    public static DateOnly Today => DateOnly.FromDateTime(Time.LocalNow);

    public static DateTime Slot(int days, int hour = 8) => Time.ToUtc(Today.AddDays(days).ToDateTime(new TimeOnly(hour, 0)));

    public static async Task<int> ResourceAsync(
        IServiceProvider services, WeddingServiceKind kind = WeddingServiceKind.CeremonyHall, bool approval = true, int capacity = 1,
        int minNotice = 1, int maxAdvance = 60, string? name = null, int householdLimit = 20, DateTime? nowUtc = null)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var (_, node) = await HostCommunity.FindAsync(db);
        int? partner = kind == WeddingServiceKind.AlliancePackage
            ? await db.Users.Where(u => u.PhoneNumber == Demo.Partner || u.PhoneNumber == TestCity.PartnerPhone).Select(u => u.Id).SingleAsync()
            : null;
        var resource = WeddingResource.Create(new WeddingResourceDetails
        {
            Kind = kind,
            Name = name ?? $"测试{kind} {Random.Shared.Next(10000, 99999)}",
            Description = "测试用服务。",
            Location = "红星社区党群服务中心一楼",
            Seats = kind == WeddingServiceKind.CeremonyHall ? 80 : null,
            PriceCapYuan = kind == WeddingServiceKind.AlliancePackage ? 5000 : null,
            Counsellor = kind == WeddingServiceKind.CounselingSession ? "周老师" : null,
            ProviderUserId = partner,
            OrgNodeId = node.Id,
            Hours = WeeklyHours.Uniform(new TimeOnly(8, 0), new TimeOnly(20, 0), Enum.GetValues<DayOfWeek>()).ToString(),
            SlotMinutes = 240,
            Capacity = capacity,
            Rules = new BookingRules
            {
                MinNoticeDays = minNotice,
                MaxAdvanceDays = maxAdvance,
                HouseholdLimit = householdLimit,
                CancelCutoffHours = 48,
                RequiresApproval = approval,
                ReviewWithinHours = 72,
            },
        }, node.Path, nowUtc ?? DateTime.UtcNow);
        db.WeddingResources.Add(resource);
        await db.SaveChangesAsync();
        return resource.Id;
    }

    /// <summary>A resident of the demo city (no role) not handed out before in this run.</summary>
    public static async Task<string> ResidentAsync(IServiceProvider services)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var residents = await db.Users.AsNoTracking()
            .Where(u => u.PhoneNumber!.StartsWith("139") && !db.UserRoles.Any(r => r.UserId == u.Id))
            .OrderBy(u => u.Id).Select(u => u.PhoneNumber!).ToListAsync();
        return residents[Interlocked.Increment(ref _nextResident) % residents.Count];
    }

    public static async Task<int> HongxingAsync(IServiceProvider services)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await db.OrgNodes.Where(n => n.Name == "红星社区").Select(n => n.Id).SingleAsync();
    }

    public static async Task<int> UserIdAsync(IServiceProvider services, string phone)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await db.Users.Where(u => u.PhoneNumber == phone).Select(u => u.Id).SingleAsync();
    }

    public static async Task<string> RealNameAsync(IServiceProvider services, string phone)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await db.Users.Where(u => u.PhoneNumber == phone).Select(u => u.RealName).SingleAsync();
    }

    /// <summary>The active (requested, approved, in a lottery) bookings of one slot.</summary>
    public static async Task<List<Booking>> BookingsAsync(IServiceProvider services, int resourceId, DateTime startUtc)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await db.Bookings.AsNoTracking()
            .Where(b => b.ResourceId == resourceId && b.SlotStartUtc == startUtc
                && (b.Status == BookingStatus.Requested || b.Status == BookingStatus.Approved || b.Status == BookingStatus.InLottery))
            .ToListAsync();
    }

    public static async Task<List<Booking>> BookingsOfResourceAsync(IServiceProvider services, int resourceId)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await db.Bookings.AsNoTracking().Where(b => b.ResourceId == resourceId).ToListAsync();
    }

    public static async Task<int> PlacesTakenAsync(IServiceProvider services, int resourceId, DateTime startUtc)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await db.SlotCounts.Where(c => c.ResourceId == resourceId && c.SlotStartUtc == startUtc).Select(c => c.Taken).SingleOrDefaultAsync();
    }

    /// <summary>A lottery date still collecting entries (the demo's 2027-05-20, or one made far ahead when there is none).</summary>
    public static async Task<LotteryDate> CollectingLotteryAsync(IServiceProvider services)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var now = DateTime.UtcNow;
        var today = Today;
        var collecting = (await db.LotteryDates.AsNoTracking().Where(l => l.DrawnAtUtc == null && l.DeadlineUtc > now).ToListAsync())
            .Where(l => l.Date > today.AddDays(2) && l.Date <= today.AddDays(300)).OrderBy(l => l.Date).FirstOrDefault();
        if (collecting is not null)
        {
            return collecting;
        }

        var date = today.AddDays(300);
        var lottery = LotteryDate.Create(date, Time.ToUtc(date.AddDays(-20).ToDateTime(new TimeOnly(18, 0))), Time.ToUtc(date.ToDateTime(TimeOnly.MinValue)), now);
        db.LotteryDates.Add(lottery);
        await db.SaveChangesAsync();
        return lottery;
    }

    /// <summary>Books through the engine as the resident with that phone; returns the booking's id.</summary>
    public static async Task<int> BookAsync(IServiceProvider services, string phone, int resourceId, DateTime startUtc)
    {
        await using var scope = services.CreateAsyncScope();
        var user = await PrincipalAsync(scope.ServiceProvider, phone);
        return await scope.ServiceProvider.GetRequiredService<BookingService>().BookAsync(user, resourceId, startUtc, "孙丽", null);
    }

    /// <summary>The demo Admin declines a request with a reason.</summary>
    public static async Task DeclineAsync(IServiceProvider services, int bookingId, string reason)
    {
        await using var scope = services.CreateAsyncScope();
        var admin = await PrincipalAsync(scope.ServiceProvider, Demo.Admin);
        await scope.ServiceProvider.GetRequiredService<BookingReviewService>().DeclineAsync(admin, bookingId, reason);
    }

    public static async Task<System.Security.Claims.ClaimsPrincipal> PrincipalAsync(IServiceProvider services, string phone)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.PhoneNumber == phone);
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ur.UserId == user.Id
                           select r.Name!).ToListAsync();
        return Principals.For(user.Id, user.RealName, [.. roles]);
    }
}
