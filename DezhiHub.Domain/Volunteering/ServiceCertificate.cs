namespace DezhiHub.Domain.Volunteering;

/// <summary>
/// A service record certificate (志愿服务记录证明): a snapshot, issued on request, of a volunteer's credited hours in a
/// period of local dates. The totals are those of the hours ledger as it stood at issue, up to entry
/// <see cref="LastHoursEntryId"/>; the ledger is append-only, so the lines behind the totals can be listed again at any
/// time and still add up, whatever corrections come later. A certificate is never edited, only revoked.
/// </summary>
public sealed class ServiceCertificate
{
    /// <summary>The longest period one certificate covers.</summary>
    public const int MaxPeriodYears = 3;

    private ServiceCertificate()
    {
    }

    public int Id { get; private set; }

    /// <summary>The volunteer the certificate is about.</summary>
    public int UserId { get; private set; }

    /// <summary>First day of the period (a local date in the deployment's zone), inclusive.</summary>
    public DateOnly PeriodFrom { get; private set; }

    /// <summary>Last day of the period, inclusive.</summary>
    public DateOnly PeriodTo { get; private set; }

    public int TotalMinutes { get; private set; }

    public int ActivityCount { get; private set; }

    /// <summary>The volunteer's community, or the organizer's node when an organizer issued it.</summary>
    public int IssuedByOrgNodeId { get; private set; }

    /// <summary>The hours ledger up to and including this entry is what the totals count (0: the ledger was empty).</summary>
    public long LastHoursEntryId { get; private set; }

    public DateTime IssuedAtUtc { get; private set; }

    public DateTime? RevokedAtUtc { get; private set; }

    public bool IsRevoked => RevokedAtUtc is not null;

    /// <summary>The rule a period must keep, for the form and the service alike: null when valid, else a resource key.</summary>
    public static string? CheckPeriod(DateOnly from, DateOnly to, DateOnly today)
    {
        if (to < from)
        {
            return "Certificate.PeriodReversed";
        }

        if (to > today)
        {
            return "Certificate.PeriodInFuture";
        }

        return to >= from.AddYears(MaxPeriodYears) ? "Certificate.PeriodTooLong" : null;
    }

    public static ServiceCertificate Issue(
        int userId, DateOnly from, DateOnly to, DateOnly today, int totalMinutes, int activityCount, int issuedByOrgNodeId, long lastHoursEntryId, DateTime nowUtc)
    {
        if (CheckPeriod(from, to, today) is { } broken)
        {
            throw new DomainException(broken, MaxPeriodYears);
        }

        if (totalMinutes <= 0 || activityCount <= 0)
        {
            throw new DomainException(ErrorCodes.Certificate.NoService);
        }

        return new ServiceCertificate
        {
            UserId = userId,
            PeriodFrom = from,
            PeriodTo = to,
            TotalMinutes = totalMinutes,
            ActivityCount = activityCount,
            IssuedByOrgNodeId = issuedByOrgNodeId,
            LastHoursEntryId = lastHoursEntryId,
            IssuedAtUtc = nowUtc,
        };
    }

    public void Revoke(DateTime nowUtc)
    {
        if (IsRevoked)
        {
            throw new DomainException(ErrorCodes.Certificate.AlreadyRevoked);
        }

        RevokedAtUtc = nowUtc;
    }
}
