using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using DezhiHub.Tests.Components;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Localization;
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
    public void ChineseTexts_AreAsWritten()
    {
        Assert.Equal("需提前 1 天", In("zh-CN", s => s["WeddingHub.Slot.TooSoon", 1].Value));
        Assert.Equal("需提前 3 天", In("zh-CN", s => s["WeddingHub.Slot.TooSoon", "3"].Value));
    }

    [Fact]
    public void EveryPluralText_HasTwoFormsWithTheNumber_AndFormatsInBothLanguages()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "DezhiHub.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException("DezhiHub.sln not found");
        }

        var resources = Path.Combine(root.FullName, "DezhiHub.Web", "Resources");
        foreach (var culture in new[] { "zh-CN", "en-US" })
        {
            var texts = XDocument.Load(Path.Combine(resources, $"Strings.{culture}.resx")).Root!.Elements("data")
                .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");
            foreach (var (key, text) in texts)
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

    private T In<T>(string culture, Func<IStringLocalizer<Strings>, T> read)
    {
        using var scope = CultureScope.Use(culture);
        var strings = _host.Get<IStringLocalizer<Strings>>();
        Assert.IsType<AppStrings>(strings);
        return read(strings);
    }

    [GeneratedRegex(@"\{\d+:plural:(?<forms>[^}]*)\}")]
    private static partial Regex Plural();

    [GeneratedRegex(@"\{(\d+)(?:[:,][^}]*)?\}")]
    private static partial Regex Placeholder();
}
