namespace DezhiHub.Domain.Volunteering;

/// <summary>
/// A person's volunteer record: the profile that makes a resident a volunteer (志愿者; skills and, optionally, the last
/// four characters of the ID number — never the full number; name, phone and org node stay on the account), and the
/// ledger totals. The row exists from a person's first ledger entry, even before the profile is completed. The totals
/// are caches of the ledgers, changed only in the same transaction as the entries they sum, and checked nightly.
/// </summary>
public sealed class VolunteerProfile
{
    public const int SkillsMaxLength = 200;

    private VolunteerProfile()
    {
    }

    public int UserId { get; private set; }

    /// <summary>Comma-separated, e.g. "急救,摄影,书法".</summary>
    public string Skills { get; private set; } = "";

    public string? IdLast4 { get; private set; }

    public DateTime CreatedAtUtc { get; private set; }

    /// <summary>When the person completed the volunteer profile; null for a resident with ledger entries only.</summary>
    public DateTime? CompletedAtUtc { get; private set; }

    /// <summary>Sum of the hours ledger, in minutes.</summary>
    public long TotalMinutes { get; private set; }

    /// <summary>Sum of the points ledger; never negative (also a CHECK in the database).</summary>
    public int PointsBalance { get; private set; }

    /// <summary>Sum of the positive earning entries (earned, awarded, pledge bonus) minus their reversals: the points board.</summary>
    public int PointsEarned { get; private set; }

    /// <summary>The star level last announced to the volunteer.</summary>
    public int StarLevel { get; private set; }

    public static VolunteerProfile Create(int userId, DateTime nowUtc) => new() { UserId = userId, CreatedAtUtc = nowUtc };

    /// <summary>Completes (or edits) the profile.</summary>
    public void Complete(string? skills, string? idLast4, DateTime nowUtc)
    {
        var cleaned = string.Join(',', PersonText.Checked(skills).Split([',', '，', '、', ';', '；'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct());
        if (cleaned.Length > SkillsMaxLength)
        {
            throw new DomainException(ErrorCodes.Volunteer.SkillsTooLong, SkillsMaxLength);
        }

        var last4 = idLast4?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(last4))
        {
            last4 = null;
        }
        else if (last4.Length != 4 || !last4[..3].All(char.IsAsciiDigit) || !(char.IsAsciiDigit(last4[3]) || last4[3] == 'X'))
        {
            throw new DomainException(ErrorCodes.Volunteer.IdLast4Invalid);
        }

        Skills = cleaned;
        IdLast4 = last4;
        CompletedAtUtc ??= nowUtc;
    }
}
