using System.Globalization;
using DezhiHub.Domain.Activities;
using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web.Resources;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace DezhiHub.Web.Features.Activities;

/// <summary>Where an activity stands for someone who might sign up, as one label.</summary>
public enum SignUpState
{
    Draft,
    Open,
    Full,
    Closed,
    NoSignUp,
    Completed,
    Cancelled,
}

/// <summary>How the activity pages word and colour times, seats and states, the same on every page.</summary>
public static class ActivityText
{
    public static SignUpState StateOf(ActivityListItem a, DateTime nowUtc) => a.Status switch
    {
        ActivityStatus.Draft => SignUpState.Draft,
        ActivityStatus.Cancelled => SignUpState.Cancelled,
        ActivityStatus.Completed => SignUpState.Completed,
        _ when a.EndUtc <= nowUtc => SignUpState.Completed,
        _ when !a.SignUpRequired => SignUpState.NoSignUp,
        _ when nowUtc >= a.SignUpClosesAtUtc => SignUpState.Closed,
        _ when a.IsFull() => SignUpState.Full,
        _ => SignUpState.Open,
    };

    public static bool IsFull(this ActivityListItem a) => a.Capacity is { } c && a.ConfirmedCount >= c;

    public static Color ColorOf(SignUpState state) => state switch
    {
        SignUpState.Open => Color.Success,
        SignUpState.Full => Color.Warning,
        SignUpState.Cancelled => Color.Error,
        SignUpState.Draft => Color.Info,
        _ => Color.Default,
    };

    public static string Label(IStringLocalizer<Strings> l, SignUpState state) => l[$"SignUpState.{state}"];

    /// <summary>"12/40" or "不限 · 已报名 12 人"; "无需报名" when nobody signs up.</summary>
    public static string Seats(IStringLocalizer<Strings> l, ActivityListItem a) =>
        !a.SignUpRequired ? l["Activities.NoSignUpNeeded"]
        : a.Capacity is { } capacity ? l["Activities.SeatsOf", a.ConfirmedCount, capacity]
        : l["Activities.SeatsUnlimited", a.ConfirmedCount];

    /// <summary>A node's full name without the city and district ("东街街道 / 红星社区"): enough on a card or in a list.</summary>
    public static string ShortPath(string? fullName)
    {
        var parts = (fullName ?? "").Split(" / ");
        return parts.Length > 3 ? string.Join(" / ", parts[2..]) : fullName ?? "";
    }

    public static string CoverUrl(int activityId) => $"/activities/{activityId}/cover";

    /// <summary>The cover's thumbnail, for cards and lists.</summary>
    public static string CoverThumbnailUrl(int activityId) => CoverUrl(activityId) + "/thumb";
}
