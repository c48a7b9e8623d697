using DezhiHub.Web.Platform.Http;
using DezhiHub.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DezhiHub.Tests.Features;

/// <summary>The address QR codes and handed-out links carry: configured, or the page's own — and when no phone can open it.</summary>
public sealed class PublicBaseUrlTests
{
    [Theory]
    [InlineData("http://localhost:5080/", true)]
    [InlineData("http://LOCALHOST:5080/", true)]
    [InlineData("http://app.localhost/", true)]
    [InlineData("http://127.0.0.1:5080/", true)]
    [InlineData("http://127.8.9.10/", true)]
    [InlineData("http://[::1]:5080/", true)]
    [InlineData("http://192.168.1.20:5080/", false)]
    [InlineData("https://dezhi.example.gov.cn/", false)]
    public void WithNothingConfigured_ThePagesOwnAddressIsUsed_AndLoopbackIsFlagged(string pageBase, bool onlyThisMachine)
    {
        var urls = new PublicBaseUrl(Options.Create(new DezhiHubOptions()));

        Assert.Equal(pageBase.ToLowerInvariant(), urls.For(pageBase).ToLowerInvariant());
        Assert.Equal(onlyThisMachine, urls.OnlyThisMachine(pageBase));
    }

    [Theory]
    [InlineData("https://dezhi.example.gov.cn")]
    [InlineData("https://dezhi.example.gov.cn/")]
    public void AConfiguredAddress_WinsOverThePagesOwn_WithOneTrailingSlash(string configured)
    {
        var urls = new PublicBaseUrl(Options.Create(new DezhiHubOptions { PublicBaseUrl = configured }));

        Assert.Equal("https://dezhi.example.gov.cn/", urls.For("http://localhost:5080/"));
        Assert.False(urls.OnlyThisMachine("http://localhost:5080/"));
    }

    [Theory]
    [InlineData("dezhi.example.gov.cn")]
    [InlineData("ftp://dezhi.example.gov.cn/")]
    [InlineData("https://dezhi.example.gov.cn/?a=1")]
    public void AnAddressThatIsNotAnAbsoluteHttpUrl_IsRefused_NamingTheSetting(string configured)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["DezhiHub:PublicBaseUrl"] = configured }).Build();
        using var services = new ServiceCollection().AddDezhiHubOptions(configuration).BuildServiceProvider();

        var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<DezhiHubOptions>>().Value);

        Assert.Contains("DezhiHub:PublicBaseUrl", string.Join(" ", refused.Failures));
    }
}
