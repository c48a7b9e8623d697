using DezhiHub.Domain.Activities;
using DezhiHub.Domain.Attendance;
using DezhiHub.Domain.Market;
using DezhiHub.Domain.Organization;
using DezhiHub.Domain.Volunteering;
using DezhiHub.Domain.Weddings;

namespace DezhiHub.Web.Platform.Auditing;

/// <summary>How a value in an audit snapshot reads.</summary>
public enum AuditValue
{
    /// <summary>As stored (text, a number, a count).</summary>
    Text,

    /// <summary>是 / 否.</summary>
    YesNo,

    /// <summary>A UTC instant, shown in the deployment's zone.</summary>
    Time,

    /// <summary>A calendar date written yyyy-MM-dd.</summary>
    Date,

    /// <summary>A user id, shown as the person's name; text is shown as it is.</summary>
    Person,

    /// <summary>A list of user ids, shown as names.</summary>
    People,

    /// <summary>An org node id, shown as its full path; text (a name written at the time) is shown as it is.</summary>
    OrgNode,

    /// <summary>A materialised path "/1/4/17/", shown as the names along it.</summary>
    OrgPath,

    /// <summary>A wedding service id, shown as its name; text is shown as it is.</summary>
    Service,

    /// <summary>Booking ids, shown as "#12".</summary>
    Bookings,

    /// <summary>Role names; none means a resident.</summary>
    Roles,

    /// <summary>An enum value (its name, or its number in older entries), shown with its label.</summary>
    Choice,

    /// <summary>A status, whose enum depends on the entry's entity type (see <see cref="AuditFields.Statuses"/>).</summary>
    Status,

    /// <summary>The lottery's drawing rule, a fixed sentence.</summary>
    LotteryRule,
}

/// <summary>A snapshot field: how its value reads, and for a choice which enum it holds and the key format of its labels.</summary>
public sealed record AuditField(AuditValue Kind, Type? Enum = null, string? Labels = null)
{
    public static readonly AuditField Text = new(AuditValue.Text);

    public static AuditField Choice<TEnum>(string labels)
        where TEnum : struct, Enum => new(AuditValue.Choice, typeof(TEnum), labels);
}

/// <summary>
/// Every field name an audit snapshot is written with, and how it reads. Its label is the text "AuditField.{name}" in both
/// languages; a test reads every <c>AuditTrail.Record</c> call's snapshots and fails when a field written there is missing
/// here or has no label. A field that is not here (an old entry's) still shows, under its own name.
/// </summary>
public static class AuditFields
{
    public const string LabelPrefix = "AuditField.";

    /// <summary>The same sentence the lottery sweep writes, so it can be shown in the reader's language.</summary>
    public const string LotteryRuleText = "smallest SHA-256(seed ‖ entry id) wins";

    public static IReadOnlyDictionary<string, AuditField> All { get; } = new Dictionary<string, AuditField>(StringComparer.Ordinal)
    {
        // People, places, services
        ["UserId"] = new(AuditValue.Person),
        ["PartnerUserId"] = new(AuditValue.Person),
        ["ProviderUserId"] = new(AuditValue.Person),
        ["RejectedUserIds"] = new(AuditValue.People),
        ["Person"] = new(AuditValue.Person),
        ["Applicant"] = new(AuditValue.Person),
        ["RealName"] = AuditField.Text,
        ["Phone"] = AuditField.Text,
        ["PartnerName"] = AuditField.Text,
        ["PartnerMobile"] = AuditField.Text,
        ["PartnerHasAccount"] = new(AuditValue.YesNo),
        ["Org"] = new(AuditValue.OrgNode),
        ["OrgNodeId"] = new(AuditValue.OrgNode),
        ["IssuedByOrgNodeId"] = new(AuditValue.OrgNode),
        ["Parent"] = new(AuditValue.OrgNode),
        ["Path"] = new(AuditValue.OrgPath),
        ["Level"] = AuditField.Choice<OrgLevel>("OrgLevel.{0}"),
        ["Roles"] = new(AuditValue.Roles),
        ["Resource"] = new(AuditValue.Service),

        // Names and words
        ["Name"] = AuditField.Text,
        ["Title"] = AuditField.Text,
        ["Activity"] = AuditField.Text,
        ["Item"] = AuditField.Text,
        ["Text"] = AuditField.Text,
        ["Description"] = AuditField.Text,
        ["Place"] = AuditField.Text,
        ["Location"] = AuditField.Text,
        ["Counsellor"] = AuditField.Text,
        ["Skills"] = AuditField.Text,
        ["IdLast4"] = AuditField.Text,
        ["Reason"] = AuditField.Text,
        ["RejectReason"] = AuditField.Text,
        ["CancelReason"] = AuditField.Text,
        ["SourceKey"] = AuditField.Text,
        ["File"] = AuditField.Text,
        ["Hours"] = AuditField.Text,
        ["Sessions"] = AuditField.Text,
        ["EndedSessions"] = AuditField.Text,
        ["BlackoutDates"] = AuditField.Text,
        ["Seed"] = AuditField.Text,
        ["Rule"] = new(AuditValue.LotteryRule),

        // States and kinds
        ["Status"] = new(AuditValue.Status),
        ["Entry"] = AuditField.Choice<EightEntry>("Entry.{0}"),
        ["Kind"] = AuditField.Choice<WeddingServiceKind>("Wedding.Kind.{0}"),
        ["Method"] = AuditField.Choice<CheckInMethod>("Attendance.Method{0}"),
        ["IsRetired"] = new(AuditValue.YesNo),
        ["RequiresApproval"] = new(AuditValue.YesNo),

        // Times and dates
        ["Start"] = new(AuditValue.Time),
        ["StartUtc"] = new(AuditValue.Time),
        ["EndUtc"] = new(AuditValue.Time),
        ["SlotStartUtc"] = new(AuditValue.Time),
        ["Slot"] = new(AuditValue.Time),
        ["CheckedInAtUtc"] = new(AuditValue.Time),
        ["CheckedIn"] = AuditField.Text, // older entries: a local time written as text
        ["ExpiresAtUtc"] = new(AuditValue.Time),
        ["DeadlineUtc"] = new(AuditValue.Time),
        ["RevokedAtUtc"] = new(AuditValue.Time),
        ["ValidFromUtc"] = new(AuditValue.Time),
        ["ValidUntilUtc"] = new(AuditValue.Time),
        ["Date"] = new(AuditValue.Date),
        ["WeddingDate"] = new(AuditValue.Date),
        ["PeriodFrom"] = new(AuditValue.Date),
        ["PeriodTo"] = new(AuditValue.Date),

        // Numbers
        ["Points"] = AuditField.Text,
        ["PointsCost"] = AuditField.Text,
        ["Delta"] = AuditField.Text,
        ["Balance"] = AuditField.Text,
        ["Earned"] = AuditField.Text,
        ["Minutes"] = AuditField.Text,
        ["TotalMinutes"] = AuditField.Text,
        ["ActivityCount"] = AuditField.Text,
        ["Stock"] = AuditField.Text,
        ["PerPersonLimit"] = AuditField.Text,
        ["Capacity"] = AuditField.Text,
        ["Seats"] = AuditField.Text,
        ["PriceCapYuan"] = AuditField.Text,
        ["SlotMinutes"] = AuditField.Text,
        ["BufferMinutes"] = AuditField.Text,
        ["MinNoticeDays"] = AuditField.Text,
        ["MaxAdvanceDays"] = AuditField.Text,
        ["HouseholdLimit"] = AuditField.Text,
        ["CancelCutoffHours"] = AuditField.Text,
        ["ReviewWithinHours"] = AuditField.Text,
        ["SortOrder"] = AuditField.Text,
        ["Position"] = AuditField.Text,
        ["Photos"] = AuditField.Text,
        ["Version"] = AuditField.Text,
        ["Occurrences"] = AuditField.Text,
        ["Items"] = AuditField.Text,
        ["Credited"] = AuditField.Text,
        ["WithHours"] = AuditField.Text,
        ["ConfirmedWithoutCheckOut"] = AuditField.Text,
        ["NeverCheckedOut"] = AuditField.Text,
        ["Rejected"] = AuditField.Text,
        ["UpcomingBookings"] = AuditField.Text,
        ["HallBookingsAlready"] = AuditField.Text,
        ["Nodes"] = AuditField.Text,
        ["Accounts"] = AuditField.Text,
        ["Activities"] = AuditField.Text,

        // The lottery draw's outcome, one object per slot
        ["Slots"] = AuditField.Text,
        ["Entries"] = new(AuditValue.Bookings),
        ["Winner"] = new(AuditValue.Bookings),
    };

    /// <summary>What "Status" holds, by the entry's entity type, and the key format of its labels.</summary>
    public static IReadOnlyDictionary<string, AuditField> Statuses { get; } = new Dictionary<string, AuditField>(StringComparer.Ordinal)
    {
        ["Activity"] = AuditField.Choice<ActivityStatus>("ActivityStatus.{0}"),
        ["Registration"] = AuditField.Choice<RegistrationStatus>("RegistrationStatus.{0}"),
        ["Booking"] = AuditField.Choice<BookingStatus>("Booking.Status.{0}"),
        ["Redemption"] = AuditField.Choice<RedemptionStatus>("Market.Status.{0}"),
        ["PointsAward"] = AuditField.Choice<AwardStatus>("AwardStatus.{0}"),
        ["WeddingPledge"] = AuditField.Choice<PledgeStatus>("Pledge.Status.{0}"),
    };

    /// <summary>How a field reads; null for one this list does not know (it is shown as stored, under its own name).</summary>
    public static AuditField? Find(string name, string entityType) =>
        All.GetValueOrDefault(name) is { Kind: AuditValue.Status } ? Statuses.GetValueOrDefault(entityType) ?? AuditField.Text : All.GetValueOrDefault(name);
}
