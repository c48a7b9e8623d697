using System.Text.RegularExpressions;
using DezhiHub.Tests.Components;
using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace DezhiHub.Tests.Features;

/// <summary>
/// Dates and times as people read them: one format per kind (<see cref="DateText"/>), in each language, in the
/// deployment's zone — and no other file of the app inventing its own.
/// </summary>
public sealed partial class DisplayTimeTests
{
    // 2026-12-09 01:05 UTC is Wednesday 09:05 in Shanghai; "now" is in 2026.
    private static readonly DateTime Utc = new(2026, 12, 9, 1, 5, 0, DateTimeKind.Utc);

    private static DisplayTime Time(string zone = "Asia/Shanghai") =>
        new(Options.Create(new DezhiHubOptions { TimeZone = zone }), new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 1, 0, 0, TimeSpan.Zero)));

    [Theory]
    [InlineData("zh-CN", "2026年12月9日")]
    [InlineData("en-US", "Dec 9, 2026")]
    public void ADate(string culture, string expected)
    {
        using var scope = CultureScope.Use(culture);
        Assert.Equal(expected, Time().FormatDate(Utc));
        Assert.Equal(expected, DateText.Date(new DateOnly(2026, 12, 9)));
    }

    [Theory]
    [InlineData("zh-CN", "2026年12月9日 09:05")]
    [InlineData("en-US", "Dec 9, 2026, 09:05")]
    public void ADateWithTime(string culture, string expected)
    {
        using var scope = CultureScope.Use(culture);
        Assert.Equal(expected, Time().FormatDateTime(Utc));
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public void ATime_Is24Hour_InBothLanguages(string culture)
    {
        using var scope = CultureScope.Use(culture);
        Assert.Equal("09:05", Time().FormatTime(Utc));
        Assert.Equal("21:05", Time().FormatTime(Utc.AddHours(12)));
    }

    [Theory]
    [InlineData("zh-CN", "12月9日 周三", "2027年1月6日 周三")]
    [InlineData("en-US", "Wed, Dec 9", "Wed, Jan 6, 2027")]
    public void ADayHeading_HasItsWeekday_AndTheYearOnlyWhenItIsNotThisYear(string culture, string thisYear, string nextYear)
    {
        using var scope = CultureScope.Use(culture);
        Assert.Equal(thisYear, Time().FormatDay(Utc));
        Assert.Equal(nextYear, Time().FormatDay(Utc.AddDays(28)));
    }

    [Theory]
    [InlineData("zh-CN", "12月9日 周三 09:05–11:05", "12月9日 周三 09:05 – 12月10日 周四 11:05")]
    [InlineData("en-US", "Wed, Dec 9 09:05–11:05", "Wed, Dec 9 09:05 – Thu, Dec 10 11:05")]
    public void ASpan_IsTheDayHeadingWithTimes(string culture, string oneDay, string twoDays)
    {
        using var scope = CultureScope.Use(culture);
        Assert.Equal(oneDay, Time().FormatSpan(Utc, Utc.AddHours(2)));
        Assert.Equal(twoDays, Time().FormatSpan(Utc, Utc.AddHours(26)));
    }

    [Theory]
    [InlineData("zh-CN", "2026年12月")]
    [InlineData("en-US", "December 2026")]
    public void AMonth(string culture, string expected)
    {
        using var scope = CultureScope.Use(culture);
        Assert.Equal(expected, DateText.Month(2026, 12));
    }

    [Fact]
    public void MachineFormats_AreTheSameInEveryLanguage()
    {
        using var scope = CultureScope.Use("zh-CN");
        Assert.Equal("2026-12-09", DateText.Iso(new DateOnly(2026, 12, 9)));
        Assert.Equal("2026-12-09 09:05", DateText.IsoMinute(new DateTime(2026, 12, 9, 9, 5, 0)));
        Assert.Equal(Utc, DateText.ParseUtcStamp(DateText.UtcStamp(Utc)));
        Assert.Equal(new DateOnly(2026, 12, 9), DateText.ParseIso("2026-12-09"));
        Assert.Null(DateText.ParseIso("2026/12/09"));
    }

    [Fact]
    public void ADifferentDeploymentZone_IsHonoured_AndRoundTrips()
    {
        var time = Time("Asia/Urumqi");
        var local = time.ToLocal(Utc);
        Assert.Equal(new DateTime(2026, 12, 9, 7, 5, 0), local);
        Assert.Equal(Utc, time.ToUtc(local));
    }

    /// <summary>
    /// The guard: no page or service of the web project writes a date or time pattern of its own ("yyyy-MM-dd",
    /// "HH:mm", ToString("d"), ToShortDateString, …); they ask <see cref="DateText"/> or <see cref="DisplayTime"/>.
    /// Allowed: DateText itself, the iCalendar writer (RFC 5545 stamps), and files other work owns for now.
    /// </summary>
    [Fact]
    public void NoFileOutsideDateText_WritesItsOwnDateFormat()
    {
        string[] allowed =
        [
            "Platform/Localization/DateText.cs",
            "Features/Calendar/ICalendarWriter.cs", // RFC 5545 "20261209T010500Z", an export format
            "Data/JsonColumns.cs", // the stored JSON of opening hours ("08:30"): invariant, never shown
            "Data/DemoDataSeeder.Weddings.cs", // demo data written as typed input; seeding is other work in progress
            "Features/Certificates/", // certificates have their own formal date (Certificate.DateFormat); other work in progress
        ];
        var web = Path.Combine(Root(), "DezhiHub.Web");
        var offences = Directory.EnumerateFiles(web, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Select(f => (Path: Path.GetRelativePath(web, f).Replace('\\', '/'), File: f))
            .Where(f => !f.Path.StartsWith("obj/", StringComparison.Ordinal) && !f.Path.StartsWith("bin/", StringComparison.Ordinal)
                && !f.Path.StartsWith("Data/Migrations/", StringComparison.Ordinal) && !allowed.Any(a => f.Path.StartsWith(a, StringComparison.Ordinal)))
            .SelectMany(f => File.ReadLines(f.File).Select((line, i) => (f.Path, Line: i + 1, Text: line)))
            .Where(l => !IsComment(l.Text) && AdHocFormat().IsMatch(l.Text))
            .Select(l => $"{l.Path}:{l.Line}: {l.Text.Trim()}")
            .ToList();
        Assert.Empty(offences);
    }

    [Theory]
    [InlineData("var s = local.ToString(\"yyyy-MM-dd HH:mm\", CultureInfo.InvariantCulture);")]
    [InlineData("<span>@Time.ToLocal(at).ToString(\"HH:mm\")</span>")]
    [InlineData("return $\"{start:HH:mm}–{end:HH:mm}\";")]
    [InlineData("@date.ToString(\"d\", CultureInfo.CurrentCulture)")]
    [InlineData("DateFormat=\"yyyy-MM-dd\"")]
    [InlineData("x.ToShortDateString()")]
    [InlineData("private const string MonthFormat = \"M月\";")]
    public void TheGuard_CatchesTheUsualWays(string line) => Assert.Matches(AdHocFormat(), line);

    [Theory]
    [InlineData("@Time.FormatTime(context.AtUtc)")]
    [InlineData("DateFormat=\"@DateText.IsoDateFormat\"")]
    [InlineData("HoursText.Format(minutes, \"0.#\")")]
    [InlineData("count.ToString(\"N0\", CultureInfo.CurrentCulture)")]
    public void TheGuard_LetsTheOnePlaceAndNumbersBe(string line) => Assert.DoesNotMatch(AdHocFormat(), line);

    private static bool IsComment(string line)
    {
        var trimmed = line.TrimStart();
        return trimmed.StartsWith("//", StringComparison.Ordinal) || trimmed.StartsWith("@*", StringComparison.Ordinal) || trimmed.StartsWith('*');
    }

    private static string Root()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "DezhiHub.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException("DezhiHub.sln not found");
        }

        return root.FullName;
    }

    // A quoted pattern with date or time fields (yyyy, MM-dd, HH:mm, MMM, ddd, M月, d日), a one-letter standard date
    // format in ToString, a format hole in an interpolation ({x:HH:mm}), or the framework's short/long date strings.
    [GeneratedRegex("""("[^"\n]*(yyyy|MM-dd|dd/MM|HH:?mm|hh:mm|MMM|ddd|M'?月|d'?日)[^"\n]*")|ToString\("[dDfFgGmMtTyYoOrRsuU]"|\{[^{}"\n]+:(HH|hh|yyyy|MM|dd)[^{}"\n]*\}|To(Short|Long)(Date|Time)String""")]
    private static partial Regex AdHocFormat();
}
