using DezhiHub.Domain;
using DezhiHub.Domain.Weddings;

namespace DezhiHub.Tests.Domain;

/// <summary>
/// The booking state machine: Requested → Approved / Declined → Completed or NoShow; Cancelled before the cut-off;
/// Expired when not reviewed in time; InLottery → Requested / Approved or LostLottery.
/// </summary>
public sealed class BookingTests
{
    private const int Resident = 40;
    private const int Reviewer = 2;

    private static readonly DateTime Now = new(2026, 11, 27, 1, 0, 0, DateTimeKind.Utc);

    /// <summary>Ten days ahead, 08:00 in Shanghai.</summary>
    private static readonly DateTime SlotStart = new(2026, 12, 7, 0, 0, 0, DateTimeKind.Utc);

    private static readonly DateOnly SlotDay = new(2026, 12, 7);

    private static WeddingResource Resource(BookingRules? rules = null) =>
        WeddingResource.Create(WeddingResourceTests.Hall() with { Rules = rules ?? new BookingRules() }, "/1/5/", Now);

    private static Booking Request(BookingRules? rules = null, DateTime? start = null, DateTime? now = null, bool lottery = false)
    {
        var slotStart = start ?? SlotStart;
        return Booking.Request(Resource(rules), Resident, slotStart, slotStart.AddHours(4), " 李娜 ", " 中午开始 ", now ?? Now, lottery: lottery);
    }

    private static string Refused(Action action) => Assert.Throws<DomainException>(action).Code;

    [Fact]
    public void ARequest_WaitsForReview_AndHoldsItsSlot()
    {
        var booking = Request();

        Assert.Equal(BookingStatus.Requested, booking.Status);
        Assert.Equal((Resident, WeddingServiceKind.CeremonyHall, "李娜", "中午开始"), (booking.ApplicantUserId, booking.Kind, booking.PartnerName, booking.Note));
        Assert.Equal((SlotStart, SlotStart.AddHours(4), Now), (booking.SlotStartUtc, booking.SlotEndUtc, booking.CreatedAtUtc));
        Assert.True(booking.HoldsSlot);
        Assert.True(booking.IsActive);
        Assert.Null(booking.DecidedAtUtc);
    }

    [Fact]
    public void ReviewIsDue_AfterTheWindow_OrAtTheStartIfThatComesFirst()
    {
        Assert.Equal(Now.AddHours(72), Request().ReviewDueUtc);
        Assert.Equal(Now.AddHours(24), Request(new BookingRules { ReviewWithinHours = 24 }).ReviewDueUtc);
        Assert.Equal(Now.AddHours(30), Request(start: Now.AddHours(30)).ReviewDueUtc); // starts before the window ends
        Assert.Equal(Now.AddHours(72), Request(start: Now.AddHours(72)).ReviewDueUtc); // both at once
    }

    [Fact]
    public void WithoutApproval_ARequestIsApprovedAtOnce()
    {
        var booking = Request(new BookingRules { RequiresApproval = false });

        Assert.Equal(BookingStatus.Approved, booking.Status);
        Assert.Equal(Now, booking.DecidedAtUtc);
        Assert.Null(booking.ReviewDueUtc);
        Assert.Null(booking.DecidedByUserId);
        Assert.True(booking.HoldsSlot);
    }

    [Fact]
    public void ALotteryEntry_HoldsNoSlot_ButCountsTowardsTheHouseholdLimit()
    {
        var booking = Request(lottery: true);

        Assert.Equal(BookingStatus.InLottery, booking.Status);
        Assert.False(booking.HoldsSlot);
        Assert.True(booking.IsActive);
        Assert.Null(booking.ReviewDueUtc);
    }

    [Fact]
    public void PartnerNameAndNote_AreLimited()
    {
        var hall = Resource();

        Assert.Equal("Booking.PartnerNameTooLong", Refused(() => Booking.Request(hall, Resident, SlotStart, SlotStart.AddHours(4), new string('李', 41), null, Now)));
        Assert.Equal("Booking.NoteTooLong", Refused(() => Booking.Request(hall, Resident, SlotStart, SlotStart.AddHours(4), null, new string('x', 201), Now)));
        var atTheLimits = Booking.Request(hall, Resident, SlotStart, SlotStart.AddHours(4), new string('李', 40), new string('x', 200), Now);
        Assert.Equal((40, 200), (atTheLimits.PartnerName.Length, atTheLimits.Note.Length));
        var blank = Booking.Request(hall, Resident, SlotStart, SlotStart.AddHours(4), null, "  ", Now);
        Assert.Equal(("", ""), (blank.PartnerName, blank.Note));
    }

    [Fact]
    public void Approve_RecordsTheReviewer_AndEndsTheReviewWindow()
    {
        var booking = Request();

        booking.Approve(Reviewer, Now.AddHours(1));

        Assert.Equal((BookingStatus.Approved, Reviewer, Now.AddHours(1)), (booking.Status, booking.DecidedByUserId, booking.DecidedAtUtc));
        Assert.Null(booking.ReviewDueUtc);
        Assert.False(booking.IsReviewOverdue(DateTime.MaxValue));
    }

    [Fact]
    public void Decline_NeedsAReason_AndFreesTheSlot()
    {
        var booking = Request();

        Assert.Equal("Booking.ReasonRequired", Refused(() => booking.Decline(Reviewer, "  ", Now)));
        Assert.Equal("Booking.ReasonTooLong", Refused(() => booking.Decline(Reviewer, new string('x', 201), Now)));
        Assert.Equal(BookingStatus.Requested, booking.Status);

        booking.Decline(Reviewer, " 当天礼堂维修 ", Now.AddHours(2));

        Assert.Equal((BookingStatus.Declined, "当天礼堂维修", Reviewer), (booking.Status, booking.DecisionReason, booking.DecidedByUserId));
        Assert.False(booking.HoldsSlot);
        Assert.False(booking.IsActive);
    }

    [Fact]
    public void Cancel_IsAllowedUntilExactlyTheCutOff()
    {
        var rules = new BookingRules { CancelCutoffHours = 48 };
        var cutOff = SlotStart.AddHours(-48);

        var atTheCutOff = Request(rules);
        atTheCutOff.Cancel(Resident, rules, cutOff);
        Assert.Equal((BookingStatus.Cancelled, cutOff, Resident), (atTheCutOff.Status, atTheCutOff.DecidedAtUtc, atTheCutOff.DecidedByUserId));
        Assert.False(atTheCutOff.HoldsSlot);

        var approved = Request(rules);
        approved.Approve(Reviewer, Now);
        var error = Assert.Throws<DomainException>(() => approved.Cancel(Resident, rules, cutOff.AddTicks(1)));
        Assert.Equal("Booking.PastCutoff", error.Code);
        Assert.Equal([48], error.Args);
        Assert.Equal(BookingStatus.Approved, approved.Status);

        approved.Cancel(Resident, rules, cutOff);
        Assert.Equal(BookingStatus.Cancelled, approved.Status);
    }

    [Fact]
    public void ALotteryEntry_MayBeWithdrawnEvenPastTheCutOff()
    {
        var entry = Request(lottery: true);

        entry.Cancel(Resident, new BookingRules(), SlotStart.AddHours(-1));

        Assert.Equal(BookingStatus.Cancelled, entry.Status);
        Assert.False(entry.IsActive);
    }

    [Fact]
    public void AnUnreviewedRequest_ExpiresAtItsDueTime_NotBefore()
    {
        var booking = Request();
        var due = booking.ReviewDueUtc!.Value;

        Assert.False(booking.IsReviewOverdue(due.AddTicks(-1)));
        Assert.Equal("Booking.NotActive", Refused(() => booking.Expire(due.AddTicks(-1))));
        Assert.True(booking.IsReviewOverdue(due));

        booking.Expire(due);

        Assert.Equal((BookingStatus.Expired, due), (booking.Status, booking.DecidedAtUtc));
        Assert.Null(booking.ReviewDueUtc);
        Assert.False(booking.HoldsSlot);
        Assert.Null(booking.DecidedByUserId);
    }

    [Fact]
    public void Arrival_IsOnTheSlotsLocalDay_AndOnce()
    {
        var booking = Request();
        booking.Approve(Reviewer, Now);

        Assert.Equal("Booking.ArriveTooEarly", Refused(() => booking.Arrive(7, SlotStart.AddDays(-1), SlotDay.AddDays(-1), SlotDay)));
        Assert.Equal("Booking.ArriveTooLate", Refused(() => booking.Arrive(7, SlotStart.AddDays(1), SlotDay.AddDays(1), SlotDay)));
        Assert.Equal(BookingStatus.Approved, booking.Status);

        booking.Arrive(7, SlotStart.AddMinutes(-20), SlotDay, SlotDay);

        Assert.Equal((BookingStatus.Completed, SlotStart.AddMinutes(-20), 7), (booking.Status, booking.ArrivedAtUtc, booking.DecidedByUserId));
        Assert.Equal("Booking.AlreadyArrived", Refused(() => booking.Arrive(7, SlotStart, SlotDay, SlotDay)));
    }

    [Fact]
    public void Close_WaitsForTheStart_ThenCompletesOrMarksANoShow()
    {
        var came = Request();
        came.Approve(Reviewer, Now);
        Assert.Equal("Booking.NotStartedYet", Refused(() => came.Close(true, Reviewer, SlotStart.AddTicks(-1))));

        came.Close(true, Reviewer, SlotStart);
        Assert.Equal(BookingStatus.Completed, came.Status);
        Assert.Null(came.ArrivedAtUtc);

        var stayedAway = Request();
        stayedAway.Approve(Reviewer, Now);
        stayedAway.Close(false, Reviewer, SlotStart.AddHours(5));
        Assert.Equal((BookingStatus.NoShow, SlotStart.AddHours(5)), (stayedAway.Status, stayedAway.DecidedAtUtc));
        Assert.False(stayedAway.IsActive);
    }

    [Fact]
    public void WinningTheLottery_MakesARequest_DueWithinTheWindowOrAtTheStart()
    {
        var rules = new BookingRules { ReviewWithinHours = 72 };
        var drawnAt = SlotStart.AddHours(-48);
        var entry = Request(rules, lottery: true);

        entry.WinLottery(rules, drawnAt);

        Assert.Equal(BookingStatus.Requested, entry.Status);
        Assert.Equal(SlotStart, entry.ReviewDueUtc); // 72 h after the draw would be after the start
        Assert.True(entry.HoldsSlot);

        var noReview = new BookingRules { RequiresApproval = false };
        var other = Request(noReview, lottery: true);
        other.WinLottery(noReview, drawnAt);
        Assert.Equal((BookingStatus.Approved, drawnAt), (other.Status, other.DecidedAtUtc));
    }

    [Fact]
    public void LosingTheLottery_EndsTheEntry()
    {
        var entry = Request(lottery: true);

        entry.LoseLottery(Now.AddDays(1));

        Assert.Equal((BookingStatus.LostLottery, Now.AddDays(1)), (entry.Status, entry.DecidedAtUtc));
        Assert.False(entry.IsActive);
        Assert.Equal("Booking.WrongState", Refused(() => entry.WinLottery(new BookingRules(), Now)));
    }

    // ----- Every operation from every state -----

    private enum Operation
    {
        Approve,
        Decline,
        Cancel,
        Expire,
        Arrive,
        Close,
        WinLottery,
        LoseLottery,
    }

    /// <summary>A booking brought into the named state through the public operations.</summary>
    private static Booking InState(string state)
    {
        var booking = Request(lottery: state is "InLottery" or "LostLottery");
        switch (state)
        {
            case "Approved":
                booking.Approve(Reviewer, Now);
                break;
            case "Declined":
                booking.Decline(Reviewer, "维修", Now);
                break;
            case "Cancelled":
                booking.Cancel(Resident, new BookingRules(), Now);
                break;
            case "Expired":
                booking.Expire(booking.ReviewDueUtc!.Value);
                break;
            case "Arrived":
                booking.Approve(Reviewer, Now);
                booking.Arrive(7, SlotStart, SlotDay, SlotDay);
                break;
            case "Closed":
                booking.Approve(Reviewer, Now);
                booking.Close(true, Reviewer, SlotStart);
                break;
            case "NoShow":
                booking.Approve(Reviewer, Now);
                booking.Close(false, Reviewer, SlotStart);
                break;
            case "LostLottery":
                booking.LoseLottery(Now);
                break;
        }

        return booking;
    }

    /// <summary>Each operation at a moment its time rule allows, so only the state decides.</summary>
    private static void Apply(Booking booking, Operation operation)
    {
        var rules = new BookingRules();
        switch (operation)
        {
            case Operation.Approve: booking.Approve(Reviewer, Now.AddHours(1)); break;
            case Operation.Decline: booking.Decline(Reviewer, "维修", Now.AddHours(1)); break;
            case Operation.Cancel: booking.Cancel(Resident, rules, Now.AddHours(1)); break;
            case Operation.Expire: booking.Expire(SlotStart); break;
            case Operation.Arrive: booking.Arrive(7, SlotStart, SlotDay, SlotDay); break;
            case Operation.Close: booking.Close(true, Reviewer, SlotStart.AddHours(1)); break;
            case Operation.WinLottery: booking.WinLottery(rules, Now.AddHours(1)); break;
            case Operation.LoseLottery: booking.LoseLottery(Now.AddHours(1)); break;
        }
    }

    public static TheoryData<string, string> Transitions()
    {
        // Per state, what each operation gives: a new status, or the refusal's code.
        string[] operations = [.. Enum.GetNames<Operation>()];
        var table = new Dictionary<string, string[]>
        {
            //                 Approve                 Decline                 Cancel                Expire                Arrive                  Close                   WinLottery              LoseLottery
            ["Requested"] = ["Approved", "Declined", "Cancelled", "Expired", "Booking.WrongState", "Booking.WrongState", "Booking.WrongState", "Booking.WrongState"],
            ["Approved"] = ["Booking.WrongState", "Booking.WrongState", "Cancelled", "Booking.NotActive", "Completed", "Completed", "Booking.WrongState", "Booking.WrongState"],
            ["InLottery"] = ["Booking.WrongState", "Booking.WrongState", "Cancelled", "Booking.NotActive", "Booking.WrongState", "Booking.WrongState", "Requested", "LostLottery"],
            ["Arrived"] = ["Booking.WrongState", "Booking.WrongState", "Booking.NotActive", "Booking.NotActive", "Booking.AlreadyArrived", "Booking.WrongState", "Booking.WrongState", "Booking.WrongState"],
        };
        foreach (var final in new[] { "Declined", "Cancelled", "Expired", "Closed", "NoShow", "LostLottery" })
        {
            table[final] = ["Booking.WrongState", "Booking.WrongState", "Booking.NotActive", "Booking.NotActive", "Booking.WrongState", "Booking.WrongState", "Booking.WrongState", "Booking.WrongState"];
        }

        var data = new TheoryData<string, string>();
        foreach (var (state, outcomes) in table)
        {
            for (var i = 0; i < operations.Length; i++)
            {
                data.Add($"{state} {operations[i]}", outcomes[i]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Transitions))]
    public void EveryOperation_FromEveryState_GivesItsOutcome(string stateAndOperation, string expected)
    {
        var parts = stateAndOperation.Split(' ');
        var booking = InState(parts[0]);
        var before = (booking.Status, booking.DecidedAtUtc, booking.DecidedByUserId, booking.ArrivedAtUtc, booking.DecisionReason);
        var operation = Enum.Parse<Operation>(parts[1]);

        if (expected.StartsWith("Booking.", StringComparison.Ordinal))
        {
            var error = Assert.Throws<DomainException>(() => Apply(booking, operation));
            Assert.Equal(expected, error.Code);
            if (expected == "Booking.WrongState")
            {
                Assert.Equal([booking.Status], error.Args); // names the state it is in (the UI translates it)
            }

            // A refusal changes nothing.
            Assert.Equal(before, (booking.Status, booking.DecidedAtUtc, booking.DecidedByUserId, booking.ArrivedAtUtc, booking.DecisionReason));
        }
        else
        {
            Apply(booking, operation);
            Assert.Equal(Enum.Parse<BookingStatus>(expected), booking.Status);
        }
    }

    [Fact]
    public void OnlyRequestedAndApproved_HoldASlot_AndOnlyTheyAndLotteryEntriesAreActive()
    {
        foreach (var state in new[] { "Requested", "Approved", "InLottery", "Declined", "Cancelled", "Expired", "Arrived", "Closed", "NoShow", "LostLottery" })
        {
            var booking = InState(state);
            Assert.Equal(state is "Requested" or "Approved", booking.HoldsSlot);
            Assert.Equal(state is "Requested" or "Approved" or "InLottery", booking.IsActive);
        }
    }
}
