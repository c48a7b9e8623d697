using System.Security.Cryptography;
using DezhiHub.Domain;
using DezhiHub.Domain.Weddings;

namespace DezhiHub.Tests.Domain;

/// <summary>The peak-date draw: reproducible from the seed and the entry ids alone, and fair.</summary>
public sealed class LotteryDrawTests
{
    private static readonly int[] Entries = [11, 23, 35, 47, 59];

    [Fact]
    public void TheWinner_DependsOnTheSeedAndIds_NotOnTheOrderTheyCameIn()
    {
        var random = new Random(520);
        for (long seed = -50; seed < 50; seed++)
        {
            var winner = LotteryDraw.Winner(seed, Entries);
            Assert.Contains(winner, Entries);
            Assert.Equal(winner, LotteryDraw.Winner(seed, Entries.Reverse()));
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal(winner, LotteryDraw.Winner(seed, Entries.OrderBy(_ => random.Next())));
            }
        }
    }

    [Fact]
    public void TheWinner_HoldsTheSmallestTicket()
    {
        const long seed = 20260520;

        var winner = LotteryDraw.Winner(seed, Entries);

        Assert.Equal(Entries.MinBy(id => LotteryDraw.Ticket(seed, id)), winner);
        Assert.All(Entries.Where(id => id != winner), id => Assert.True(LotteryDraw.Ticket(seed, winner) < LotteryDraw.Ticket(seed, id)));
    }

    [Fact]
    public void ASoleEntry_Wins_AndNoEntriesIsAnError()
    {
        Assert.Equal(7, LotteryDraw.Winner(123, [7]));
        Assert.Throws<ArgumentException>(() => LotteryDraw.Winner(123, []));
    }

    /// <summary>5,000 seeds over 5 entries: each should win 1,000 times; 750–1,250 is over 8 standard deviations wide.</summary>
    [Fact]
    public void OverManySeeds_EachEntryWinsItsFairShare()
    {
        var wins = Entries.ToDictionary(id => id, _ => 0);
        for (long seed = 1; seed <= 5_000; seed++)
        {
            wins[LotteryDraw.Winner(seed * 7_919, Entries)]++;
        }

        Assert.All(wins, w => Assert.InRange(w.Value, 750, 1_250));
        Assert.Equal(5_000, wins.Values.Sum());
    }

    [Fact]
    public void AddingAnEntry_OnlyEverTakesTheWinFromTheOldWinner()
    {
        // With smallest-ticket-wins, a newcomer either wins or changes nothing: nobody else's chance moves.
        for (long seed = 0; seed < 500; seed++)
        {
            var before = LotteryDraw.Winner(seed, Entries);
            var after = LotteryDraw.Winner(seed, [.. Entries, 71]);
            Assert.True(after == before || after == 71);
        }
    }

    /// <summary>The ticket is SHA-256 of the seed (8 bytes) then the id (4 bytes), big-endian, read as a 128-bit number.</summary>
    [Theory]
    [InlineData(20260520L, 42, "4181fc7c040cfe869e164e2d7049a547")] // computed outside .NET: sha256(struct.pack('>qi', seed, id))
    [InlineData(-1L, 7, "51964640b2f4286aaf31d8a4e3a4f48f")]
    public void TheTicket_IsSha256OfSeedThenId_BigEndian(long seed, int id, string leadingHex)
    {
        var input = new byte[12];
        for (var i = 0; i < 8; i++)
        {
            input[i] = (byte)(seed >> (56 - (8 * i)));
        }

        for (var i = 0; i < 4; i++)
        {
            input[8 + i] = (byte)(id >> (24 - (8 * i)));
        }

        var hash = SHA256.HashData(input);
        UInt128 expected = 0;
        foreach (var b in hash.AsSpan(0, 16))
        {
            expected = (expected << 8) | b;
        }

        Assert.Equal(leadingHex, Convert.ToHexStringLower(hash.AsSpan(0, 16)));
        Assert.Equal(expected, LotteryDraw.Ticket(seed, id));
        Assert.Equal(UInt128.Parse(leadingHex, System.Globalization.NumberStyles.HexNumber), LotteryDraw.Ticket(seed, id));
    }
}
