using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace DezhiHub.Tests.Features;

/// <summary>Both languages are complete: same keys in zh-CN and en-US, and every key the code asks for exists.</summary>
public sealed partial class LocalizationTests
{
    internal static readonly string WebProject = Path.Combine(RepoRoot(), "DezhiHub.Web");

    public static TheoryData<string> ResourceSets => new() { "Strings", "MudStrings" };

    [Theory]
    [MemberData(nameof(ResourceSets))]
    public void ChineseAndEnglish_HaveTheSameKeys_AndNoEmptyValues(string set)
    {
        var zh = Load(set, "zh-CN");
        var en = Load(set, "en-US");
        Assert.Empty(zh.Keys.Except(en.Keys));
        Assert.Empty(en.Keys.Except(zh.Keys));
        Assert.DoesNotContain(zh, kv => string.IsNullOrWhiteSpace(kv.Value));
        Assert.DoesNotContain(en, kv => string.IsNullOrWhiteSpace(kv.Value));
    }

    [Fact]
    public void EveryLiteralKeyInTheCode_HasAText()
    {
        var keys = Load("Strings", "zh-CN").Keys.ToHashSet();
        var missing = Directory.EnumerateFiles(WebProject, "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".razor", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => LiteralKey().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Key: m.Groups["key"].Value)))
            .Where(k => !keys.Contains(k.Key))
            .Select(k => $"{k.File}: {k.Key}")
            .Distinct()
            .ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void EveryErrorCode_HasAText_AndIsNamedLikeIt()
    {
        var keys = Load("Strings", "zh-CN").Keys.ToHashSet();
        var codes = typeof(DezhiHub.Domain.ErrorCodes).GetNestedTypes()
            .SelectMany(area => area.GetFields().Where(f => f.IsLiteral).Select(f => (Name: $"{area.Name}.{f.Name}", Code: (string)f.GetRawConstantValue()!)))
            .ToList();
        Assert.True(codes.Count > 150, $"only {codes.Count} codes found");
        Assert.All(codes, c => Assert.Contains(c.Code, keys));
        // ErrorCodes.Booking.SlotTaken is "Booking.SlotTaken": the constant's name says which text a page will show.
        Assert.All(codes, c => Assert.Equal(c.Name, c.Code.Replace(".", "", StringComparison.Ordinal).Insert(c.Code.IndexOf('.', StringComparison.Ordinal), ".")));
        Assert.Equal(codes.Count, codes.Select(c => c.Code).Distinct().Count());
    }

    [Fact]
    public void DomainErrorCodes_StillWrittenAsLiterals_AllHaveTexts()
    {
        var keys = Load("Strings", "zh-CN").Keys.ToHashSet();
        var domain = Path.Combine(RepoRoot(), "DezhiHub.Domain");
        var codes = Directory.EnumerateFiles(domain, "*.cs", SearchOption.AllDirectories)
            .SelectMany(f => DomainCode().Matches(File.ReadAllText(f)).Select(m => m.Groups["key"].Value))
            .Concat(Directory.EnumerateFiles(WebProject, "*.cs", SearchOption.AllDirectories)
                .SelectMany(f => DomainCode().Matches(File.ReadAllText(f)).Select(m => m.Groups["key"].Value)))
            .Distinct().ToList();
        Assert.All(codes, c => Assert.Contains(c, keys));
    }

    private static Dictionary<string, string> Load(string set, string culture) =>
        XDocument.Load(Path.Combine(WebProject, "Resources", $"{set}.{culture}.resx")).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DezhiHub.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("DezhiHub.sln not found above " + AppContext.BaseDirectory);
    }

    // L["Key"], L["Key", arg], strings["Key"] — literal keys only (interpolated keys are checked by the pages' own tests).
    [GeneratedRegex("""\b(?:L|strings|Strings)\[\s*"(?<key>[A-Za-z][A-Za-z0-9_.\-]*)"\s*[,\]]""")]
    private static partial Regex LiteralKey();

    [GeneratedRegex("""new DomainException\(\s*"(?<key>[A-Za-z][A-Za-z0-9_.\-]*)"\s*[,)]""")]
    private static partial Regex DomainCode();
}
