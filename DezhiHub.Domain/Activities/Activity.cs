using System.Linq.Expressions;

namespace DezhiHub.Domain.Activities;

/// <summary>
/// A red-culture activity (活动) hosted by an org node and carried into one of the eight entries.
/// Lifecycle: Draft → Published → Completed, or Cancelled with a reason.
/// </summary>
public sealed class Activity : Aggregate
{
    public const int CancelReasonMaxLength = 200;
    public const int CoverImageMaxLength = 128;

    private readonly List<ActivityThemeLink> _themes = [];

    private Activity()
    {
    }

    public int Id { get; private set; }

    public string Title { get; private set; } = "";

    public string Description { get; private set; } = "";

    public EightEntry Entry { get; private set; }

    public IReadOnlyCollection<ActivityThemeLink> Themes => _themes;

    public int OrgNodeId { get; private set; }

    /// <summary>The hosting node's materialised path, copied here so subtree and coverage queries need no join; org moves re-path it.</summary>
    public string OrgPath { get; private set; } = "";

    public string Place { get; private set; } = "";

    public DateTime StartUtc { get; private set; }

    public DateTime EndUtc { get; private set; }

    public int? Capacity { get; private set; }

    public bool SignUpRequired { get; private set; }

    public bool WalkInsAllowed { get; private set; }

    public DateTime? SignUpDeadlineUtc { get; private set; }

    public DateTime? CancellationDeadlineUtc { get; private set; }

    public int PointsPerHour { get; private set; }

    /// <summary>Check-in opens this many minutes before the start.</summary>
    public int CheckInOpensMinutesBefore { get; private set; } = ActivityDetails.DefaultCheckInOpensMinutesBefore;

    /// <summary>When the door opens for check-in.</summary>
    public DateTime CheckInOpensAtUtc => CheckInWindow(CheckInPurpose.CheckIn).OpensAtUtc;

    /// <summary>When this activity takes scans of <paramref name="purpose"/>.</summary>
    public CheckInWindow CheckInWindow(CheckInPurpose purpose) =>
        Activities.CheckInWindow.For(StartUtc, EndUtc, CheckInOpensMinutesBefore, purpose);

    /// <summary>File name of the cover image under the data folder, if any.</summary>
    public string? CoverImage { get; private set; }

    public ActivityStatus Status { get; private set; }

    public string? CancelReason { get; private set; }

    /// <summary>Occurrences of one recurring series share this id.</summary>
    public Guid? SeriesId { get; private set; }

    /// <summary>Confirmed sign-ups: a counter guarded in SQL so capacity holds under concurrency.</summary>
    public int ConfirmedCount { get; private set; }

    /// <summary>People checked in without a confirmed sign-up; a guarded counter like <see cref="ConfirmedCount"/>.</summary>
    public int WalkInCount { get; private set; }

    /// <summary>
    /// The last waitlist number handed out: raised by one guarded UPDATE inside the sign-up's transaction, whose row
    /// lock orders the waitlist on any database (decision 0013).
    /// </summary>
    public int WaitlistIssued { get; private set; }

    public int CreatedByUserId { get; private set; }

    public DateTime CreatedAtUtc { get; private set; }

    public DateTime UpdatedAtUtc { get; private set; }

    public DateTime? PublishedAtUtc { get; private set; }

    /// <summary>Set by the sweep that closes sign-up at the deadline (and tells the organizer the count).</summary>
    public DateTime? SignUpClosedAtUtc { get; private set; }

    public DateTime? CompletedAtUtc { get; private set; }

    /// <summary>The moment sign-up closes: the deadline, or the start.</summary>
    public DateTime SignUpClosesAtUtc => SignUpDeadlineUtc ?? StartUtc;

    /// <summary>The moment a sign-up can no longer be cancelled: the deadline, or the start.</summary>
    public DateTime CancellationClosesAtUtc => CancellationDeadlineUtc ?? StartUtc;

    /// <summary>
    /// A place is left for one more person — a sign-up or a walk-in — while confirmed sign-ups and walk-ins are under
    /// the capacity. As an expression, it is the guard of the counters' SQL updates, so no parallel claim overfills.
    /// </summary>
    public static readonly Expression<Func<Activity, bool>> HasPlaceLeft = a => a.Capacity == null || a.ConfirmedCount + a.WalkInCount < a.Capacity;

    private static readonly Func<Activity, bool> HasPlaceLeftNow = HasPlaceLeft.Compile();

    public bool IsFull => !HasPlaceLeftNow(this);

    /// <summary>
    /// Whether a scan of <paramref name="purpose"/> is taken now, and from whom: not in a cancelled activity, only inside
    /// the window, and a check-in without a sign-up only where walk-ins are allowed or no sign-up is needed — such a
    /// walk-in then takes a place (<see cref="ScanAdmission.TakesWalkInPlace"/>). A refused scan says why.
    /// </summary>
    public ScanAdmission Admit(CheckInPurpose purpose, DateTime nowUtc, bool signedUp)
    {
        if (Status == ActivityStatus.Cancelled)
        {
            return ScanAdmission.Refused(ErrorCodes.CheckIn.Cancelled);
        }

        var window = CheckInWindow(purpose);
        switch (window.At(nowUtc))
        {
            case CheckInWindowState.NotYetOpen:
                return ScanAdmission.Refused(ErrorCodes.CheckIn.NotStarted, window.OpensAtUtc);
            case CheckInWindowState.Over:
                return ScanAdmission.Refused(ErrorCodes.CheckIn.Over);
        }

        var walkIn = purpose == CheckInPurpose.CheckIn && !signedUp;
        return walkIn && SignUpRequired && !WalkInsAllowed
            ? ScanAdmission.Refused(ErrorCodes.CheckIn.NotSignedUp)
            : new ScanAdmission(null, null, walkIn);
    }

    public static Activity Create(ActivityDetails details, string orgPath, int createdByUserId, DateTime nowUtc, Guid? seriesId = null)
    {
        var activity = new Activity
        {
            Status = ActivityStatus.Draft,
            CreatedByUserId = createdByUserId,
            CreatedAtUtc = nowUtc,
            SeriesId = seriesId,
        };
        activity.Apply(details.Checked(), orgPath, nowUtc);
        return activity;
    }

    /// <summary>Changes the details; true when the time moved (registrants of a published activity are told: <see cref="ActivityChanged"/>).</summary>
    public bool Update(ActivityDetails details, string orgPath, DateTime nowUtc)
    {
        EnsureEditable();
        var checkedDetails = details.Checked();
        if (checkedDetails.Capacity is { } capacity && capacity < ConfirmedCount)
        {
            throw new DomainException(ErrorCodes.Activity.CapacityBelowSignUps, ConfirmedCount);
        }

        var timeChanged = checkedDetails.StartUtc != StartUtc || checkedDetails.EndUtc != EndUtc;
        Apply(checkedDetails, orgPath, nowUtc);
        if (timeChanged && Status == ActivityStatus.Published)
        {
            Raise(new ActivityChanged(this, ActivityChange.Rescheduled));
        }

        return timeChanged;
    }

    public void Publish(DateTime nowUtc)
    {
        if (Status != ActivityStatus.Draft)
        {
            throw new DomainException(ErrorCodes.Activity.OnlyDraftsPublish);
        }

        if (EndUtc <= nowUtc)
        {
            throw new DomainException(ErrorCodes.Activity.AlreadyOver);
        }

        Status = ActivityStatus.Published;
        PublishedAtUtc = nowUtc;
        UpdatedAtUtc = nowUtc;
    }

    public void Cancel(string reason, DateTime nowUtc)
    {
        if (Status is ActivityStatus.Cancelled or ActivityStatus.Completed)
        {
            throw new DomainException(ErrorCodes.Activity.CannotCancel);
        }

        var trimmed = PersonText.CheckedMultiline(reason);
        if (trimmed.Length == 0)
        {
            throw new DomainException(ErrorCodes.Activity.CancelReasonRequired);
        }

        Status = ActivityStatus.Cancelled;
        CancelReason = trimmed.Length <= CancelReasonMaxLength ? trimmed : trimmed[..CancelReasonMaxLength];
        Raise(new ActivityChanged(this, ActivityChange.Cancelled));
        UpdatedAtUtc = nowUtc;
    }

    /// <summary>Marks a published activity completed once it has ended; false if there is nothing to do.</summary>
    public bool CompleteIfEnded(DateTime nowUtc)
    {
        if (Status != ActivityStatus.Published || EndUtc > nowUtc)
        {
            return false;
        }

        Status = ActivityStatus.Completed;
        CompletedAtUtc = nowUtc;
        UpdatedAtUtc = nowUtc;
        return true;
    }

    /// <summary>Records that sign-up has closed; false if it was recorded already or is not due.</summary>
    public bool CloseSignUpIfDue(DateTime nowUtc)
    {
        if (SignUpClosedAtUtc is not null || Status != ActivityStatus.Published || SignUpClosesAtUtc > nowUtc)
        {
            return false;
        }

        SignUpClosedAtUtc = nowUtc;
        return true;
    }

    /// <summary>Throws unless a person may sign up now.</summary>
    public void EnsureOpenForSignUp(DateTime nowUtc)
    {
        if (Status != ActivityStatus.Published)
        {
            throw new DomainException(Status == ActivityStatus.Cancelled ? "SignUp.Cancelled" : "SignUp.NotOpen");
        }

        if (!SignUpRequired)
        {
            throw new DomainException(ErrorCodes.SignUp.NotNeeded);
        }

        if (nowUtc >= SignUpClosesAtUtc)
        {
            throw new DomainException(ErrorCodes.SignUp.Closed);
        }
    }

    public void EnsureCancellable(DateTime nowUtc)
    {
        if (Status == ActivityStatus.Published && nowUtc >= CancellationClosesAtUtc)
        {
            throw new DomainException(ErrorCodes.SignUp.CancelClosed);
        }
    }

    public void SetCoverImage(string? fileName, DateTime nowUtc)
    {
        CoverImage = fileName;
        UpdatedAtUtc = nowUtc;
    }

    public bool Overlaps(DateTime startUtc, DateTime endUtc) => StartUtc < endUtc && startUtc < EndUtc;

    private void EnsureEditable()
    {
        if (Status is ActivityStatus.Cancelled or ActivityStatus.Completed)
        {
            throw new DomainException(ErrorCodes.Activity.NotEditable);
        }
    }

    private void Apply(ActivityDetails details, string orgPath, DateTime nowUtc)
    {
        Title = details.Title;
        Description = details.Description;
        Entry = details.Entry;
        OrgNodeId = details.OrgNodeId;
        OrgPath = orgPath;
        Place = details.Place;
        StartUtc = details.StartUtc;
        EndUtc = details.EndUtc;
        Capacity = details.Capacity;
        SignUpRequired = details.SignUpRequired;
        WalkInsAllowed = details.WalkInsAllowed;
        SignUpDeadlineUtc = details.SignUpDeadlineUtc;
        CancellationDeadlineUtc = details.CancellationDeadlineUtc;
        PointsPerHour = details.PointsPerHour;
        CheckInOpensMinutesBefore = details.CheckInOpensMinutesBefore;
        UpdatedAtUtc = nowUtc;
        _themes.RemoveAll(t => !details.ThemeIds.Contains(t.ThemeId));
        foreach (var themeId in details.ThemeIds.Where(id => _themes.All(t => t.ThemeId != id)))
        {
            _themes.Add(new ActivityThemeLink(themeId));
        }
    }
}

/// <summary>One of an activity's themes.</summary>
public sealed class ActivityThemeLink
{
    public ActivityThemeLink(int themeId) => ThemeId = themeId;

    public int ActivityId { get; private set; }

    public int ThemeId { get; private set; }
}
