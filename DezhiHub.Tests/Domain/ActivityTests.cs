using DezhiHub.Domain;
using DezhiHub.Domain.Activities;

namespace DezhiHub.Tests.Domain;

public sealed class ActivityTests
{
    private static readonly DateTime Now = new(2026, 11, 27, 1, 0, 0, DateTimeKind.Utc);

    public static ActivityDetails Valid(DateTime? start = null) => new()
    {
        Title = "太行精神宣讲进社区",
        Entry = EightEntry.Communities,
        ThemeIds = [1],
        OrgNodeId = 5,
        Place = "党群服务中心",
        StartUtc = start ?? Now.AddDays(3),
        EndUtc = (start ?? Now.AddDays(3)).AddHours(2),
        Capacity = 10,
    };

    [Fact]
    public void Validate_ReportsEveryBrokenRuleWithItsField()
    {
        var details = Valid() with
        {
            Title = " ",
            ThemeIds = [],
            Place = "",
            EndUtc = Valid().StartUtc.AddHours(-1),
            Capacity = 0,
            PointsPerHour = 101,
            SignUpDeadlineUtc = Valid().StartUtc.AddHours(1),
        };

        var codes = details.Validate().Select(e => $"{e.Field}:{e.Code}").ToList();

        Assert.Equal(
            [
                "Title:Activity.TitleRequired", "ThemeIds:Activity.ThemeRequired", "Place:Activity.PlaceRequired",
                "EndUtc:Activity.EndBeforeStart", "Capacity:Activity.CapacityInvalid", "SignUpDeadlineUtc:Activity.SignUpDeadlineAfterStart",
                "PointsPerHour:Activity.PointsInvalid",
            ],
            codes);
        Assert.Empty(Valid().Validate());
    }

    [Fact]
    public void Lifecycle_DraftPublishedCompleted_OrCancelledWithAReason()
    {
        var activity = Activity.Create(Valid(), "/1/5/", 1, Now);
        Assert.Equal(ActivityStatus.Draft, activity.Status);
        Assert.Equal("SignUp.NotOpen", Assert.Throws<DomainException>(() => activity.EnsureOpenForSignUp(Now)).Code);

        activity.Publish(Now);
        activity.EnsureOpenForSignUp(Now);
        Assert.Equal("Activity.OnlyDraftsPublish", Assert.Throws<DomainException>(() => activity.Publish(Now)).Code);
        Assert.False(activity.CompleteIfEnded(Now));
        Assert.True(activity.CompleteIfEnded(activity.EndUtc));
        Assert.Equal("Activity.CannotCancel", Assert.Throws<DomainException>(() => activity.Cancel("x", Now)).Code);

        var other = Activity.Create(Valid(), "/1/5/", 1, Now);
        Assert.Equal("Activity.CancelReasonRequired", Assert.Throws<DomainException>(() => other.Cancel("  ", Now)).Code);
        other.Cancel("下雨", Now);
        Assert.Equal(("下雨", ActivityStatus.Cancelled), (other.CancelReason, other.Status));
        Assert.Equal("SignUp.Cancelled", Assert.Throws<DomainException>(() => other.EnsureOpenForSignUp(Now)).Code);
    }

    [Fact]
    public void SignUp_ClosesAtTheDeadline_OrAtTheStart()
    {
        var withDeadline = Activity.Create(Valid() with { SignUpDeadlineUtc = Now.AddDays(1) }, "/1/", 1, Now);
        withDeadline.Publish(Now);
        withDeadline.EnsureOpenForSignUp(Now.AddDays(1).AddTicks(-1));
        Assert.Equal("SignUp.Closed", Assert.Throws<DomainException>(() => withDeadline.EnsureOpenForSignUp(Now.AddDays(1))).Code);
        Assert.False(withDeadline.CloseSignUpIfDue(Now));
        Assert.True(withDeadline.CloseSignUpIfDue(Now.AddDays(1)));
        Assert.False(withDeadline.CloseSignUpIfDue(Now.AddDays(2))); // once

        var noDeadline = Activity.Create(Valid(), "/1/", 1, Now);
        noDeadline.Publish(Now);
        Assert.Equal("SignUp.Closed", Assert.Throws<DomainException>(() => noDeadline.EnsureOpenForSignUp(noDeadline.StartUtc)).Code);
    }

    [Fact]
    public void Update_CannotDropCapacityBelowTheConfirmedSignUps_AndReportsATimeChange()
    {
        var activity = Activity.Create(Valid(), "/1/", 1, Now);
        Assert.False(activity.Update(Valid() with { Title = "新标题" }, "/1/", Now));
        Assert.True(activity.Update(Valid(Now.AddDays(4)), "/1/", Now));
        Assert.Equal("新标题", Activity.Create(Valid() with { Title = "  新标题 " }, "/1/", 1, Now).Title);
    }

    [Fact]
    public void Registration_CancelFreesASeatOnlyWhenConfirmed_AndRenewGoesToTheBackOfTheLine()
    {
        var confirmed = Registration.Create(1, 2, confirmed: true, Now);
        var waiting = Registration.Create(1, 3, confirmed: false, Now, waitlistNumber: 1);
        Assert.True(confirmed.Cancel(Now));
        Assert.False(waiting.Cancel(Now));
        Assert.Equal("SignUp.NotSignedUp", Assert.Throws<DomainException>(() => waiting.Cancel(Now)).Code);

        waiting.Renew(confirmed: false, Now.AddHours(1), waitlistNumber: 7);
        Assert.Equal((RegistrationStatus.Waitlisted, Now.AddHours(1), (int?)7), (waiting.Status, waiting.SignedUpAtUtc, waiting.WaitlistNumber));
        Assert.Equal("SignUp.Already", Assert.Throws<DomainException>(() => waiting.Renew(true, Now)).Code);
        waiting.Promote(Now.AddHours(2));
        Assert.Equal(RegistrationStatus.Confirmed, waiting.Status);
        // A seat taken at once has no place in the queue.
        Assert.Throws<ArgumentException>(() => Registration.Create(1, 4, confirmed: true, Now, waitlistNumber: 2));
    }
}

public sealed class RecurrenceTests
{
    private static readonly DateTime Saturday9 = new(2026, 11, 28, 9, 0, 0);

    [Fact]
    public void Weekly_WithACount_KeepsTheLocalTime()
    {
        var starts = new RecurrenceRule(RecurrenceFrequency.Weekly, Count: 4).Expand(Saturday9);
        Assert.Equal([Saturday9, Saturday9.AddDays(7), Saturday9.AddDays(14), Saturday9.AddDays(21)], starts);
    }

    [Fact]
    public void EveryTwoWeeks_UntilADate_IncludesThatDate()
    {
        var starts = new RecurrenceRule(RecurrenceFrequency.Weekly, Interval: 2, Until: new DateOnly(2026, 12, 26)).Expand(Saturday9);
        Assert.Equal([Saturday9, Saturday9.AddDays(14), Saturday9.AddDays(28)], starts);
    }

    [Fact]
    public void Monthly_OnThe31st_SkipsMonthsWithoutOne()
    {
        var starts = new RecurrenceRule(RecurrenceFrequency.Monthly, Count: 3).Expand(new DateTime(2027, 1, 31, 9, 0, 0));
        Assert.Equal([new DateTime(2027, 1, 31, 9, 0, 0), new DateTime(2027, 3, 31, 9, 0, 0), new DateTime(2027, 5, 31, 9, 0, 0)], starts);
    }

    [Theory]
    [InlineData(RecurrenceFrequency.Weekly, 1, null, null, "Recurrence.UntilOrCount")]
    [InlineData(RecurrenceFrequency.Weekly, 0, null, 3, "Recurrence.IntervalInvalid")]
    [InlineData(RecurrenceFrequency.Weekly, 1, null, 61, "Recurrence.CountInvalid")]
    [InlineData(RecurrenceFrequency.Weekly, 1, "2026-11-01", null, "Recurrence.UntilBeforeStart")]
    [InlineData(RecurrenceFrequency.Weekly, 1, "2029-01-01", null, "Recurrence.CountInvalid")] // ~110 weeks: too many
    public void BadRules_AreRefused(RecurrenceFrequency frequency, int interval, string? until, int? count, string code)
    {
        var rule = new RecurrenceRule(frequency, interval, until is null ? null : DateOnly.Parse(until, System.Globalization.CultureInfo.InvariantCulture), count);
        Assert.Equal(code, Assert.Throws<DomainException>(() => rule.Expand(Saturday9)).Code);
    }
}
