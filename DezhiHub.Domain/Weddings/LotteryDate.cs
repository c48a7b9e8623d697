using System.Buffers.Binary;
using System.Security.Cryptography;

namespace DezhiHub.Domain.Weddings;

/// <summary>
/// A peak date (e.g. 5月20日) on which ceremony halls are given by lottery: requests for that day are collected until
/// <see cref="DeadlineUtc"/>, then one draw assigns each hall slot. The seed is recorded (here and in the audit log),
/// so anyone can re-run the draw and get the same winners.
/// </summary>
public sealed class LotteryDate
{
    private LotteryDate()
    {
    }

    public int Id { get; private set; }

    public DateOnly Date { get; private set; }

    public DateTime DeadlineUtc { get; private set; }

    public DateTime CreatedAtUtc { get; private set; }

    public DateTime? DrawnAtUtc { get; private set; }

    public long? Seed { get; private set; }

    public bool IsDrawn => DrawnAtUtc is not null;

    /// <summary>Requests are collected while the deadline has not passed.</summary>
    public bool IsCollecting(DateTime nowUtc) => !IsDrawn && nowUtc < DeadlineUtc;

    public static LotteryDate Create(DateOnly date, DateTime deadlineUtc, DateTime dateStartUtc, DateTime nowUtc)
    {
        if (deadlineUtc <= nowUtc || deadlineUtc > dateStartUtc)
        {
            throw new DomainException(ErrorCodes.Lottery.DeadlineInvalid);
        }

        return new LotteryDate { Date = date, DeadlineUtc = deadlineUtc, CreatedAtUtc = nowUtc };
    }

    public void MarkDrawn(long seed, DateTime nowUtc)
    {
        if (IsDrawn)
        {
            throw new DomainException(ErrorCodes.Lottery.AlreadyDrawn);
        }

        if (nowUtc < DeadlineUtc)
        {
            throw new DomainException(ErrorCodes.Lottery.NotClosed);
        }

        Seed = seed;
        DrawnAtUtc = nowUtc;
    }
}

/// <summary>
/// The draw: every entry gets the ticket SHA-256(seed ‖ entry id) and the smallest ticket wins. Uniform for an
/// unpredictable seed, independent of the order entries came in, and reproducible from the seed and the ids alone.
/// </summary>
public static class LotteryDraw
{
    public static int Winner(long seed, IEnumerable<int> entryIds)
    {
        var best = -1;
        UInt128 bestTicket = UInt128.MaxValue;
        foreach (var id in entryIds)
        {
            var ticket = Ticket(seed, id);
            if (best < 0 || ticket < bestTicket || (ticket == bestTicket && id < best))
            {
                best = id;
                bestTicket = ticket;
            }
        }

        return best < 0 ? throw new ArgumentException("A draw needs at least one entry.", nameof(entryIds)) : best;
    }

    public static UInt128 Ticket(long seed, int entryId)
    {
        Span<byte> input = stackalloc byte[12];
        BinaryPrimitives.WriteInt64BigEndian(input, seed);
        BinaryPrimitives.WriteInt32BigEndian(input[8..], entryId);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        return BinaryPrimitives.ReadUInt128BigEndian(hash);
    }
}
