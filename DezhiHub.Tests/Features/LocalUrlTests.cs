using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Platform.Identity;

namespace DezhiHub.Tests.Features;

/// <summary>The one local-URL check behind every "take me back" redirect: fuzzed, and with the known tricks.</summary>
public sealed class LocalUrlTests
{
    [Theory]
    [InlineData("/", "/")]
    [InlineData("/activities/12", "/activities/12")]
    [InlineData("/activities?q=a%20b&page=2#top", "/activities?q=a%20b&page=2#top")]
    [InlineData("/activities?q=红星", "/activities?q=%E7%BA%A2%E6%98%9F")]
    [InlineData("/market/𠀀", "/market/%F0%A0%80%80")]
    public void APathOfThisSite_IsKept_WithNonAsciiPercentEncoded(string url, string expected)
    {
        Assert.True(LocalUrl.TryNormalize(url, out var local));
        Assert.Equal(expected, local);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("/\t/evil.example")]
    [InlineData("/\n/evil.example")]
    [InlineData("/\u3000/evil.example")]
    [InlineData("/\u00A0/evil.example")]
    [InlineData("/\u2028/evil.example")]
    [InlineData("/\u202E/evil.example")]
    [InlineData("/\u200B/evil.example")]
    [InlineData("/\uFEFF/evil.example")]
    [InlineData("evil.example")]
    [InlineData("~/x")]
    public void AnythingElse_IsRefused_AndGoesHome(string? url)
    {
        Assert.False(LocalUrl.TryNormalize(url, out _));
        Assert.Equal("/", LocalUrl.OrHome(url));
    }

    [Fact]
    public void ALoneSurrogate_IsRefused() => Assert.False(LocalUrl.TryNormalize("/a" + '\uD800' + "b", out _));

    [Fact]
    public void TenThousandRandomValues_EitherGoHome_OrStayOnThisSiteAsPlainAscii()
    {
        var random = new Random(20261207);
        char[] alphabet = ['/', '/', '/', '\\', '.', ':', '@', '?', '#', '%', 'a', 'e', '1', '红', '\t', '\r', '\n', '\0', ' ', '\u3000', '\u00A0', '\u202E', '\u200B', '\u2028', '\uFEFF', '\uD83D', '\uDE00', '\u007F', '\u0085'];
        for (var n = 0; n < 10_000; n++)
        {
            var chars = new char[random.Next(0, 12)];
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = alphabet[random.Next(alphabet.Length)];
            }

            var url = new string(chars);
            var target = LocalUrl.OrHome(url);

            Assert.StartsWith("/", target);
            Assert.False(target.Length > 1 && target[1] is '/' or '\\', $"{Escape(url)} → {target}");
            Assert.All(target, c => Assert.InRange(c, '!', '~'));
            // What a browser makes of it against this site stays on this site.
            Assert.Equal("dezhihub.example", new Uri(new Uri("https://dezhihub.example/x/"), target).Host);
        }
    }

    private static string Escape(string s) => string.Concat(s.Select(c => c < 0x80 && !char.IsControl(c) ? c.ToString() : $"\\u{(int)c:X4}"));
}
