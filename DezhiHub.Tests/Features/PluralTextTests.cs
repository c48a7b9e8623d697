using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using DezhiHub.Tests.Components;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web.Resources;
using Microsoft.Extensions.Localization;

namespace DezhiHub.Tests.Features;

/// <summary><see cref="AppStrings"/>: English counts take the right form of their noun; Chinese texts are unchanged.</summary>
public sealed partial class PluralTextTests : IAsyncLifetime
{
    private FeatureHost _host = default!;

    public async Task InitializeAsync() => _host = await FeatureHost.CreateAsync(demoData: false);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData(1, "Book at least 1 day ahead.")]
    [InlineData(3, "Book at least 3 days ahead.")]
    [InlineData(0, "Book at least 0 days ahead.")]
    public void ACount_ChoosesTheNounsForm(int days, string expected) =>
        Assert.Equal(expected, In("en-US", s => s["Booking.TooSoon", days].Value));

    [Fact]
    public void StoredNumbers_Decimals_AndVerbs_FollowTheCount()
    {
        // A notification stores its numbers as text.
        Assert.Equal("Your civilized-wedding pledge (wedding 12-20) was verified: you received 1 point.", In("en-US", s => s["Pledge.VerifiedNotice", "12-20", "1"].Value));
        Assert.Equal("= 1.5 hours", In("en-US", s => s["Hours.MinutesToRemoveHelp", 1.5m].Value));
        Assert.Equal("1 entry has been made; this lottery date can no longer be removed.", In("en-US", s => s["LotteryAdmin.HasEntries", 1].Value));
        Assert.Equal("2 entries have been made; this lottery date can no longer be removed.", In("en-US", s => s["LotteryAdmin.HasEntries", 2].Value));
        Assert.Equal("1 activity", In("en-US", s => s["Activities.Count", 1].Value));
    }

    [Fact]
    public void TheHouseholdLimit_AndOtherCounts_ReadRightForOne()
    {
        Assert.Equal("You already have 1 active booking of this kind (红星礼堂 Dec 20, 2026, 10:00); cancel one first to book again.",
            In("en-US", s => s["Booking.HouseholdLimit", 1, "红星礼堂 Dec 20, 2026, 10:00"].Value));
        Assert.Equal("At most 1 active booking of this kind per household", In("en-US", s => s["WeddingHub.RuleHousehold", 1].Value));
        Assert.Equal("At most 2 active bookings of this kind per household", In("en-US", s => s["WeddingHub.RuleHousehold", 2].Value));
        Assert.Equal("1 field needs attention; see the ones marked in red.", In("en-US", s => s["ActivityForm.FixErrors", 1].Value));
        Assert.Equal("1 item is still without \"I promise\"; the pledge is signed only as a whole.", In("en-US", s => s["Pledge.MissingItems", 1].Value));
        Assert.Equal("您已有 1 个有效预约（红星礼堂 2026年12月20日 10:00），需先取消才能再预约。", In("zh-CN", s => s["Booking.HouseholdLimit", 1, "红星礼堂 2026年12月20日 10:00"].Value));
    }

    /// <summary>
    /// A guard: an English text that puts a plain placeholder before a plural noun ("{0} bookings") reads wrong for
    /// one. Words after a placeholder that are not counted nouns (a name followed by "has", a unit abbreviation) are
    /// listed; the slot texts' placeholder is a duration ("2 h slots"), not a count.
    /// </summary>
    [Fact]
    public void EnglishCounts_BeforeANoun_UseThePluralForm()
    {
        string[] notNouns = ["is", "has", "was", "this", "hosts", "pts"];
        string[] durationKeys = ["WeddingCatalog.SlotLength", "WeddingCatalog.SlotLengthWithBuffer"];
        var missing = Texts("en-US")
            .Where(t => !durationKeys.Contains(t.Key))
            .SelectMany(t => BareCount().Matches(t.Value).Where(m => !notNouns.Contains(m.Groups["noun"].Value)).Select(m => $"{t.Key}: {m.Value}"))
            .ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void ChineseTexts_AreAsWritten()
    {
        Assert.Equal("需提前 1 天", In("zh-CN", s => s["WeddingHub.Slot.TooSoon", 1].Value));
        Assert.Equal("需提前 3 天", In("zh-CN", s => s["WeddingHub.Slot.TooSoon", "3"].Value));
    }

    [Fact]
    public void EveryPluralText_HasTwoFormsWithTheNumber_AndFormatsInBothLanguages()
    {
        foreach (var culture in new[] { "zh-CN", "en-US" })
        {
            foreach (var (key, text) in Texts(culture))
            {
                foreach (Match plural in Plural().Matches(text))
                {
                    var forms = plural.Groups["forms"].Value.Split('|');
                    Assert.True(forms.Length == 2 && forms.All(f => f.Contains('#')), $"{culture} {key}: a plural needs two forms with #: {plural.Value}");
                }

                var arguments = Placeholder().Matches(text).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).DefaultIfEmpty(-1).Max() + 1;
                foreach (var count in new object[] { 1, 2, "1", 2.5m })
                {
                    var formatted = In(culture, s => s[key, [.. Enumerable.Repeat(count, arguments)]].Value);
                    Assert.DoesNotContain("plural:", formatted);
                }
            }
        }
    }

    private static Dictionary<string, string> Texts(string culture)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "DezhiHub.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException("DezhiHub.sln not found");
        }

        var file = Path.Combine(root.FullName, "DezhiHub.Web", "Resources", $"Strings.{culture}.resx");
        return XDocument.Load(file).Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");
    }

    private T In<T>(string culture, Func<IStringLocalizer<Strings>, T> read)
    {
        using var scope = CultureScope.Use(culture);
        var strings = _host.Get<IStringLocalizer<Strings>>();
        Assert.IsType<AppStrings>(strings);
        return read(strings);
    }

    [GeneratedRegex(@"\{\d+:plural:(?<forms>[^}]*)\}")]
    private static partial Regex Plural();

    // "{0} bookings", "{0} active bookings", "{0} item(s)": a plain placeholder, at most one word, a word ending in s.
    [GeneratedRegex(@"\{\d+\}\s+(?:[a-z]+\s+)??(?<noun>[a-z]+s|[a-z]+\(s\))(?![\w(])")]
    private static partial Regex BareCount();

    [GeneratedRegex(@"\{(\d+)(?:[:,][^}]*)?\}")]
    private static partial Regex Placeholder();
}
