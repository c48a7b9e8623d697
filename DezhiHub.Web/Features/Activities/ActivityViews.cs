using DezhiHub.Domain.Activities;

namespace DezhiHub.Web.Features.Activities;

public sealed record ActivityFilter(
    EightEntry? Entry = null,
    int? ThemeId = null,
    int? OrgNodeId = null,
    DateTime? FromUtc = null,
    DateTime? ToUtc = null,
    bool OpenForSignUpOnly = false,
    string? Text = null,
    bool Managed = false,
    ActivityStatus? Status = null,
    int Page = 0,
    int PageSize = 20);

public sealed record ActivityListItem(
    int Id,
    string Title,
    EightEntry Entry,
    IReadOnlyList<string> Themes,
    int OrgNodeId,
    string HostName,
    string Place,
    DateTime StartUtc,
    DateTime EndUtc,
    int? Capacity,
    int ConfirmedCount,
    ActivityStatus Status,
    bool SignUpRequired,
    DateTime SignUpClosesAtUtc,
    bool HasCover,
    Guid? SeriesId);

public sealed record ActivityDetail(
    ActivityListItem Summary,
    string Description,
    IReadOnlyList<int> ThemeIds,
    bool WalkInsAllowed,
    DateTime? SignUpDeadlineUtc,
    DateTime? CancellationDeadlineUtc,
    DateTime CancellationClosesAtUtc,
    int PointsPerHour,
    int CheckInOpensMinutesBefore,
    string? CancelReason,
    int WaitlistCount,
    RegistrationStatus? MyStatus,
    int? MyWaitlistPosition,
    bool CanManage)
{
    /// <summary>When the door opens for check-in.</summary>
    public DateTime CheckInOpensAtUtc => CheckInWindow(CheckInPurpose.CheckIn).OpensAtUtc;

    /// <summary>When the activity takes scans of <paramref name="purpose"/> (the domain's rule).</summary>
    public CheckInWindow CheckInWindow(CheckInPurpose purpose) =>
        DezhiHub.Domain.Activities.CheckInWindow.For(Summary.StartUtc, Summary.EndUtc, CheckInOpensMinutesBefore, purpose);
}

public sealed record RosterEntry(int UserId, string RealName, string Phone, string? OrgName, RegistrationStatus Status, DateTime SignedUpAtUtc, int? WaitlistPosition);

public sealed record MyActivity(ActivityListItem Activity, RegistrationStatus Status, int? WaitlistPosition);

public enum SignUpOutcome
{
    Confirmed,
    Waitlisted,
}

/// <summary>A sign-up's outcome; when waitlisted, the place in the queue at the moment it was taken (1 = next).</summary>
public sealed record SignUpResult(SignUpOutcome Outcome, int? WaitlistPosition);

/// <summary>Whether a change to one occurrence of a series also applies to the later ones.</summary>
public enum SeriesScope
{
    ThisOnly,
    ThisAndFollowing,
}
