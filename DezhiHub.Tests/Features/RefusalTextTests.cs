using DezhiHub.Domain.Weddings;
using DezhiHub.Domain;
using DezhiHub.Tests.Components;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web.Resources;
using Microsoft.Extensions.Localization;

namespace DezhiHub.Tests.Features;

/// <summary><see cref="Refusals"/>: a refusal reads in the page's language, states it names included.</summary>
public sealed class RefusalTextTests : IAsyncLifetime
{
    private FeatureHost _host = default!;

    public async Task InitializeAsync() => _host = await FeatureHost.CreateAsync(demoData: false);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("zh-CN", "未通过")]
    [InlineData("en-US", "Declined")]
    public void AStateNamedByTheDomain_IsTranslated(string culture, string label)
    {
        var text = InCulture(culture, s => s.Refusal(new DomainException("Booking.WrongState", BookingStatus.Declined)).Value);

        Assert.Contains(label, text);
        if (culture == "zh-CN")
        {
            Assert.DoesNotContain("Declined", text);
        }
    }

    [Fact]
    public void OtherArguments_AreShownAsTheyAre()
    {
        var text = InCulture("zh-CN", s => s.Refusal("CheckIn.NotStarted", ["08:30"]).Value);
        Assert.Contains("08:30", text);
    }

    [Fact]
    public void EveryBookingState_HasALabel_InBothLanguages()
    {
        foreach (var culture in new[] { "zh-CN", "en-US" })
        {
            var missing = InCulture(culture, s => Enum.GetValues<BookingStatus>().Where(v => s[$"Booking.Status.{v}"].ResourceNotFound).ToList());
            Assert.Empty(missing);
        }
    }

    private T InCulture<T>(string culture, Func<IStringLocalizer<Strings>, T> read)
    {
        using var scope = CultureScope.Use(culture);
        return read(_host.Get<IStringLocalizer<Strings>>());
    }
}
