using DezhiHub.Domain.Activities;
using DezhiHub.Web.Features.Activities;
using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web.Resources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace DezhiHub.Tests.Components;

/// <summary>The activity pages build some keys from enum values ($"Entry.{entry}"); each must have a text in both languages.</summary>
public sealed class ActivityTextsTests
{
    public static TheoryData<string> Cultures => new() { "zh-CN", "en-US" };

    [Theory]
    [MemberData(nameof(Cultures))]
    public void EveryKeyBuiltFromAnEnum_HasAText(string cultureName)
    {
        using var culture = CultureScope.Use(cultureName);
        using var services = new ServiceCollection().AddLogging().AddDezhiHubLocalization().BuildServiceProvider();
        var strings = services.GetRequiredService<IStringLocalizer<Strings>>();
        string[] keys =
        [
            .. Enum.GetValues<EightEntry>().Select(v => $"Entry.{v}"),
            .. Enum.GetValues<ActivityStatus>().Select(v => $"ActivityStatus.{v}"),
            .. Enum.GetValues<RegistrationStatus>().Select(v => $"RegistrationStatus.{v}"),
            .. Enum.GetValues<SignUpState>().Select(v => $"SignUpState.{v}"),
            .. Enum.GetValues<RepeatKind>().Select(v => $"ActivityForm.Repeat{v}"),
        ];

        Assert.All(keys, key => Assert.False(strings[key].ResourceNotFound, $"{key} has no {cultureName} text"));
    }
}
