namespace DezhiHub.Domain.Activities;

/// <summary>What a scan records: arriving or leaving.</summary>
public enum CheckInPurpose : byte
{
    CheckIn = 1,
    CheckOut = 2,
}

/// <summary>Where a moment falls against a <see cref="CheckInWindow"/>.</summary>
public enum CheckInWindowState
{
    NotYetOpen,
    Open,
    Over,
}

/// <summary>
/// When an activity takes scans (the one rule the service, the scanner page and the check-in screen apply): from
/// <c>CheckInOpensMinutesBefore</c> before the start; check-in until the end, check-out until
/// <see cref="CheckOutGraceAfterEnd"/> after it, for those who stay to tidy up. Both ends inclusive.
/// </summary>
public readonly record struct CheckInWindow(DateTime OpensAtUtc, DateTime ClosesAtUtc)
{
    public static readonly TimeSpan CheckOutGraceAfterEnd = TimeSpan.FromHours(3);

    public static CheckInWindow For(DateTime startUtc, DateTime endUtc, int opensMinutesBefore, CheckInPurpose purpose) =>
        new(startUtc.AddMinutes(-opensMinutesBefore), purpose == CheckInPurpose.CheckOut ? endUtc + CheckOutGraceAfterEnd : endUtc);

    public CheckInWindowState At(DateTime nowUtc) =>
        nowUtc < OpensAtUtc ? CheckInWindowState.NotYetOpen
        : nowUtc > ClosesAtUtc ? CheckInWindowState.Over
        : CheckInWindowState.Open;
}

/// <summary>
/// What <see cref="Activity.Admit"/> decided for a scan: taken (<see cref="RefusalCode"/> null), and then whether it is a
/// walk-in that takes a place; or refused with a code, and for "not open yet" the moment it opens.
/// </summary>
public sealed record ScanAdmission(string? RefusalCode, DateTime? OpensAtUtc, bool TakesWalkInPlace)
{
    public bool IsAdmitted => RefusalCode is null;

    public static ScanAdmission Refused(string code, DateTime? opensAtUtc = null) => new(code, opensAtUtc, false);
}
