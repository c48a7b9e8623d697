using DezhiHub.Domain.Activities;

namespace DezhiHub.Tests.Domain;

/// <summary>When an activity takes scans: the one rule the check-in service, the scanner and the check-in screen apply.</summary>
public sealed class CheckInWindowTests
{
    private static readonly DateTime Start = new(2027, 3, 5, 1, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime End = Start.AddHours(2);

    [Theory]
    [InlineData(-31, CheckInWindowState.NotYetOpen)]
    [InlineData(-30, CheckInWindowState.Open)] // opens 30 minutes before the start, inclusive
    [InlineData(120, CheckInWindowState.Open)] // the end itself still counts
    [InlineData(121, CheckInWindowState.Over)]
    public void CheckIn_IsTakenFromItsOpeningUntilTheEnd(int minutesFromStart, CheckInWindowState expected)
    {
        var window = CheckInWindow.For(Start, End, opensMinutesBefore: 30, CheckInPurpose.CheckIn);

        Assert.Equal(expected, window.At(Start.AddMinutes(minutesFromStart)));
    }

    [Fact]
    public void CheckOut_IsTakenUntilThreeHoursAfterTheEnd()
    {
        var window = CheckInWindow.For(Start, End, opensMinutesBefore: 30, CheckInPurpose.CheckOut);

        Assert.Equal(End.AddHours(3), window.ClosesAtUtc);
        Assert.Equal(CheckInWindowState.Open, window.At(End.AddHours(3)));
        Assert.Equal(CheckInWindowState.Over, window.At(End.AddHours(3).AddSeconds(1)));
    }
}

/// <summary>Whom a scan is taken from (<see cref="Activity.Admit"/>): the window, a cancelled activity, and walk-ins.</summary>
public sealed class ScanAdmissionTests
{
    private static readonly DateTime Now = new(2026, 11, 27, 1, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void AScanOutsideTheWindow_IsRefused_SayingWhenItOpens()
    {
        var activity = Published(ActivityTests.Valid(Now.AddHours(1)));

        var early = activity.Admit(CheckInPurpose.CheckIn, Now, signedUp: true);
        var late = activity.Admit(CheckInPurpose.CheckIn, Now.AddHours(3).AddSeconds(1), signedUp: true);
        var leaving = activity.Admit(CheckInPurpose.CheckOut, Now.AddHours(3).AddSeconds(1), signedUp: true);

        Assert.Equal(("CheckIn.NotStarted", (DateTime?)Now.AddMinutes(30)), (early.RefusalCode, early.OpensAtUtc));
        Assert.Equal("CheckIn.Over", late.RefusalCode);
        Assert.True(leaving.IsAdmitted); // check-out stays open three hours after the end
    }

    [Theory]
    [InlineData(true, false, true, null, false)] // signed up: taken, no walk-in place
    [InlineData(false, false, false, "CheckIn.NotSignedUp", false)] // sign-up needed, no walk-ins
    [InlineData(false, true, false, null, true)] // walk-ins allowed: taken, takes a place
    [InlineData(false, false, true, null, true)] // no sign-up needed: everyone is a walk-in
    public void ACheckInWithoutASignUp_IsAWalkIn_WhereWalkInsAreAllowed(bool signedUp, bool walkInsAllowed, bool openToAll, string? refusal, bool takesPlace)
    {
        var activity = Published(ActivityTests.Valid(Now.AddMinutes(10)) with { WalkInsAllowed = walkInsAllowed, SignUpRequired = !openToAll });

        var admission = activity.Admit(CheckInPurpose.CheckIn, Now, signedUp);

        Assert.Equal((refusal, takesPlace), (admission.RefusalCode, admission.TakesWalkInPlace));
    }

    [Fact]
    public void ACancelledActivity_TakesNoScan()
    {
        var activity = Published(ActivityTests.Valid(Now.AddMinutes(10)));
        activity.Cancel("下雨", Now);

        Assert.Equal("CheckIn.Cancelled", activity.Admit(CheckInPurpose.CheckIn, Now, signedUp: true).RefusalCode);
        Assert.Equal("CheckIn.Cancelled", activity.Admit(CheckInPurpose.CheckOut, Now, signedUp: true).RefusalCode);
    }

    private static Activity Published(ActivityDetails details)
    {
        var activity = Activity.Create(details, "/1/5/", 1, Now.AddDays(-1));
        activity.Publish(Now.AddDays(-1));
        return activity;
    }
}
