using System.Text;
using DezhiHub.Web.Features.Calendar;
using IcalCalendar = Ical.Net.Calendar;

namespace DezhiHub.Tests.Features;

/// <summary><see cref="ICalendarWriter"/> output read back by an independent parser (Ical.Net) and checked octet by octet.</summary>
public sealed class CalendarWriterTests
{
    private static readonly DateTime Stamp = new(2026, 11, 27, 1, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Start = new(2026, 11, 28, 1, 0, 0, DateTimeKind.Utc);
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    [Fact]
    public void Calendar_ParsesWithAnIndependentLibrary_WithUtcTimesUidsAndStatus()
    {
        var ics = Write(
            Event(1) with { Url = new Uri("http://127.0.0.1:5080/activities/1") },
            Event(2) with { Cancelled = true, StartUtc = Start.AddDays(1), EndUtc = Start.AddDays(1).AddHours(3) });

        var calendar = IcalCalendar.Load(ics)!;

        Assert.Equal("2.0", calendar.Version);
        Assert.Equal(ICalendarWriter.ProductId, calendar.ProductId);
        Assert.Equal("PUBLISH", calendar.Method);
        Assert.Equal("GREGORIAN", calendar.Scale);
        Assert.Equal("德治 Hub · 我的活动", calendar.Properties["X-WR-CALNAME"]!.Value);
        Assert.Equal(2, calendar.Events.Count);
        var first = calendar.Events.Single(e => e.Uid == "activity-1@dezhihub");
        Assert.True(first.DtStart!.IsUtc);
        Assert.Equal(Start, first.DtStart.AsUtc);
        Assert.Equal(Start.AddHours(2), first.DtEnd!.AsUtc);
        Assert.Equal(Stamp, first.DtStamp!.AsUtc);
        Assert.Equal("CONFIRMED", first.Status);
        Assert.Equal(new Uri("http://127.0.0.1:5080/activities/1"), first.Url);
        var second = calendar.Events.Single(e => e.Uid == "activity-2@dezhihub");
        Assert.Equal("CANCELLED", second.Status);
        Assert.Equal(Start.AddDays(1).AddHours(3), second.DtEnd!.AsUtc);
        Assert.Contains("DTSTART:20261128T010000Z\r\n", ics, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_WithChineseCommasSemicolonsBackslashesAndNewlines_RoundTrips()
    {
        const string summary = "红色家书诵读会：传承, 家风; 家教 \\ 第一期";
        const string description = "第一行，含逗号, 和分号;\n第二行\r\n第三行 C:\\路径\r最后";
        const string place = "红星社区, 二楼; 活动室";

        var ics = Write(Event(1) with { Summary = summary, Description = description, Location = place });
        var parsed = IcalCalendar.Load(ics)!.Events.Single();

        Assert.Equal(summary, parsed.Summary);
        Assert.Equal("第一行，含逗号, 和分号;\n第二行\n第三行 C:\\路径\n最后", parsed.Description);
        Assert.Equal(place, parsed.Location);
        Assert.Contains(@"SUMMARY:红色家书诵读会：传承\, 家风\; 家教 \\ 第一期", ics, StringComparison.Ordinal);
    }

    [Fact]
    public void LongLines_AreFoldedAt75Octets_NeverInsideACharacter_AndUnfoldToTheOriginal()
    {
        // Mixed one-, three- and four-octet characters, so fold points fall at every offset within a character.
        var description = string.Concat(Enumerable.Range(0, 40).Select(i => $"太行精神{i}a🇨🇳,"));
        var summary = new string('党', 60);

        var bytes = Encoding.UTF8.GetBytes(Write(Event(1) with { Summary = summary, Description = description }));
        var lines = SplitCrlf(bytes);

        Assert.All(lines, line => Assert.True(line.Length <= 75, $"{line.Length} octets"));
        // Every physical line is valid UTF-8 on its own: no fold split a multi-octet sequence.
        var text = lines.Select(l => StrictUtf8.GetString(l)).ToList();
        Assert.Contains(text, l => l.StartsWith(' '));
        var parsed = IcalCalendar.Load(Encoding.UTF8.GetString(bytes))!.Events.Single();
        Assert.Equal(summary, parsed.Summary);
        Assert.Equal(description, parsed.Description);
    }

    [Fact]
    public void EveryLine_EndsWithCrlf()
    {
        var ics = Write(Event(1) with { Description = "一\n二\r三" });

        Assert.EndsWith("END:VCALENDAR\r\n", ics, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ics.Replace("\r\n", "", StringComparison.Ordinal));
        Assert.DoesNotContain('\r', ics.Replace("\r\n", "", StringComparison.Ordinal));
    }

    [Fact]
    public void ControlCharacters_AreDropped_TabsKept()
    {
        var ics = Write(Event(1) with { Summary = "活动\u0001名称\u0007\t甲" });

        Assert.Equal("活动名称\t甲", IcalCalendar.Load(ics)!.Events.Single().Summary);
    }

    [Fact]
    public void Alarm_IsADisplayAlarmAnHourBefore_AndLeftOutForCancelledEvents()
    {
        var ics = Write(
            Event(1) with { AlarmBefore = TimeSpan.FromHours(1) },
            Event(2) with { AlarmBefore = TimeSpan.FromHours(1), Cancelled = true });
        var events = IcalCalendar.Load(ics)!.Events;

        var alarm = Assert.Single(events.Single(e => e.Uid == "activity-1@dezhihub").Alarms);
        Assert.Equal("DISPLAY", alarm.Action);
        Assert.Equal(TimeSpan.FromHours(-1), alarm.Trigger!.Duration!.Value.ToTimeSpanUnspecified());
        Assert.Empty(events.Single(e => e.Uid == "activity-2@dezhihub").Alarms);
    }

    [Theory]
    [InlineData(3600, "PT1H")]
    [InlineData(86400, "P1D")]
    [InlineData(5400, "PT1H30M")]
    [InlineData(0, "PT0S")]
    public void Durations_AreWrittenInRfc5545Form(int seconds, string expected) =>
        Assert.Equal(expected, ICalendarWriter.Duration(TimeSpan.FromSeconds(seconds)));

    private static string Write(params CalendarEvent[] events) =>
        ICalendarWriter.Write(new CalendarHeader("德治 Hub · 我的活动", "Asia/Shanghai") { RefreshInterval = TimeSpan.FromHours(1) }, events, Stamp);

    private static CalendarEvent Event(int id) => new()
    {
        Uid = CalendarExport.Uid(id),
        StartUtc = Start,
        EndUtc = Start.AddHours(2),
        Summary = "太行精神宣讲",
        Location = "红星社区党群服务中心",
        Description = "老党员讲述抗战故事。",
    };

    private static List<byte[]> SplitCrlf(byte[] bytes)
    {
        var lines = new List<byte[]>();
        var start = 0;
        for (var i = 0; i + 1 < bytes.Length; i++)
        {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n')
            {
                lines.Add(bytes[start..i]);
                start = i + 2;
                i++;
            }
        }

        Assert.Equal(bytes.Length, start); // nothing after the last CRLF
        return lines;
    }
}
