using System.Globalization;

namespace DezhiHub.Bench;

/// <summary>CPU time the whole machine has been busy, to tell a scenario's own load from other processes' load.</summary>
internal static class MachineCpu
{
    // /proc/stat counts in USER_HZ ticks, 100 per second on Linux whatever the kernel's own tick rate.
    private const double TicksPerSecond = 100;

    /// <summary>Busy time summed over all cores since boot (user, nice, system, irq, softirq, steal), from /proc/stat; null where there is none.</summary>
    public static TimeSpan? Busy()
    {
        const string stat = "/proc/stat";
        if (!File.Exists(stat))
        {
            return null;
        }

        // "cpu  user nice system idle iowait irq softirq steal guest guest_nice" (guest time is included in user).
        var fields = File.ReadLines(stat).First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7];
        return TimeSpan.FromSeconds(busy / TicksPerSecond);
    }
}
