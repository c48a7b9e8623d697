using DezhiHub.Domain.Activities;
using DezhiHub.Domain.Organization;

namespace DezhiHub.Web.Features.Coverage;

/// <summary>
/// The "eight entries" coverage of one org node over a period of local dates [<see cref="From"/>, <see cref="To"/>)
/// in the deployment's zone.
/// </summary>
public sealed record CoverageQuery(int NodeId, DateOnly From, DateOnly To)
{
    /// <summary>Longest period one query may span; a decade of activities is not a coverage question.</summary>
    public const int MaxDays = 366 * 5;

    /// <summary>The calendar year that contains <paramref name="localToday"/>: the page's default period.</summary>
    public static (DateOnly From, DateOnly To) YearOf(DateOnly localToday) =>
        (new DateOnly(localToday.Year, 1, 1), new DateOnly(localToday.Year + 1, 1, 1));
}

/// <summary>
/// One cell to drill into. <see cref="RowNodeId"/> is a direct child of the chosen node (its whole subtree), the chosen
/// node itself (activities hosted at that level only), or null for every row; <see cref="Entry"/> null means every entry.
/// </summary>
public sealed record CoverageCellQuery(int NodeId, DateOnly From, DateOnly To, int? RowNodeId, EightEntry? Entry, int Page = 0, int PageSize = 20)
{
    public CoverageQuery Period => new(NodeId, From, To);
}

public enum CoverageMetric
{
    Activities = 0,
    Participants = 1,
    Hours = 2,
}

/// <summary>
/// Where the hours figure comes from: the planned participant-hours of the confirmed sign-ups. <c>Credited</c> is
/// the label the page would use if <see cref="CoverageService"/> counted hours credited from check-in instead.
/// </summary>
public enum CoverageHoursBasis
{
    /// <summary>Confirmed sign-ups × scheduled duration (报名人时).</summary>
    SignUps = 0,

    /// <summary>Volunteer hours credited from check-in and check-out.</summary>
    Credited = 1,
}

/// <summary>Activity count, participants (confirmed sign-ups) and hours of one cell, row or column.</summary>
public sealed record CoverageCell(int Activities, int Participants, double Hours)
{
    public static readonly CoverageCell Empty = new(0, 0, 0);

    public bool IsGap => Activities == 0;

    public double Value(CoverageMetric metric) => metric switch
    {
        CoverageMetric.Participants => Participants,
        CoverageMetric.Hours => Hours,
        _ => Activities,
    };

    public CoverageCell Plus(CoverageCell other) =>
        new(Activities + other.Activities, Participants + other.Participants, Hours + other.Hours);

    public static CoverageCell Sum(IEnumerable<CoverageCell> cells) => cells.Aggregate(Empty, (total, cell) => total.Plus(cell));

    /// <summary>Hours back to the whole minutes they were summed from (hours here are always minutes ÷ 60).</summary>
    public static long MinutesOf(double hours) => (long)Math.Round(hours * 60);
}

/// <summary>
/// One row of the matrix: a direct child of the chosen node (with everything below it), or — when
/// <see cref="IsHostLevel"/> — the activities the chosen node hosts itself (本级). <see cref="Cells"/> has one entry
/// per <see cref="EightEntry"/> value, in enum order.
/// </summary>
public sealed record CoverageRow(int NodeId, string Name, OrgLevel Level, bool IsHostLevel, bool IsRetired, IReadOnlyList<CoverageCell> Cells)
{
    public CoverageCell Total { get; } = CoverageCell.Sum(Cells);

    public CoverageCell this[EightEntry entry] => Cells[(int)entry];

    /// <summary>Entries this child has not reached in the period. Host-level and retired rows have no gaps: nothing is owed there.</summary>
    public int GapCount => IsHostLevel || IsRetired ? 0 : Cells.Count(c => c.IsGap);
}

public sealed record CoverageMatrix(
    int NodeId,
    string NodeName,
    string NodeFullName,
    string NodePath,
    OrgLevel NodeLevel,
    DateOnly From,
    DateOnly To,
    CoverageHoursBasis HoursBasis,
    IReadOnlyList<CoverageRow> Rows)
{
    public static IReadOnlyList<EightEntry> Entries { get; } = Enum.GetValues<EightEntry>();

    public IReadOnlyList<CoverageCell> ColumnTotals { get; } =
        [.. Enum.GetValues<EightEntry>().Select(e => CoverageCell.Sum(Rows.Select(r => r[e])))];

    public CoverageCell GrandTotal { get; } = CoverageCell.Sum(Rows.Select(r => r.Total));

    /// <summary>(child × entry) cells that must be reached: the active children's, eight each.</summary>
    public int CellsExpected => Rows.Count(r => !r.IsHostLevel && !r.IsRetired) * Entries.Count;

    public int Gaps => Rows.Sum(r => r.GapCount);

    public int CellsCovered => CellsExpected - Gaps;
}

/// <summary>One activity of a drilled-into cell. <see cref="HostName"/> is the host's path below the chosen node.</summary>
public sealed record CoverageActivity(
    int Id,
    string Title,
    EightEntry Entry,
    ActivityStatus Status,
    DateTime StartUtc,
    DateTime EndUtc,
    int HostNodeId,
    string HostName,
    int Participants,
    double Hours);

/// <summary>A click on the matrix: a row (null: every row) and an entry (null: every entry), named for the drill-down's title.</summary>
public sealed record CoverageCellClick(int? RowNodeId, string RowName, EightEntry? Entry);
