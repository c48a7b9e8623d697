using System.Runtime.InteropServices;
using DezhiHub.Bench;
using DezhiHub.Bench.Booking;
using DezhiHub.Bench.Scenarios;

// Scenario registry: add new scenarios here (one class per scenario implementing IScenario).
IScenario[] scenarios =
[
    new StartupScenario(),
    new CoverageScenario(),
    new CheckInScenario(),
    new LedgerScenario(),
    new BookingScenario(),
    new DezhiHub.Bench.Cluster.ClusterScenario(),
    new DezhiHub.Bench.Cluster.RushScenario(),
];

var name = args.Length > 0 ? args[0] : null;
var scenario = scenarios.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
if (scenario is null)
{
    Console.Error.WriteLine(name is null ? "No scenario given." : $"Unknown scenario '{name}'.");
    Console.Error.WriteLine("Usage: dotnet run -c Release --project DezhiHub.Bench -- <scenario> [options]");
    Console.Error.WriteLine("Scenarios:");
    foreach (var s in scenarios)
    {
        Console.Error.WriteLine($"  {s.Name,-10} {s.Description}");
    }

    return 2;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

// SIGTERM (kill, a CI timeout) cancels the same way, so scenarios still stop the app they started and delete temp folders.
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    cancellation.Cancel();
});

try
{
    return await scenario.RunAsync(args[1..], cancellation.Token);
}
catch (BenchException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 1;
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    Console.Error.WriteLine("Cancelled.");
    return 130;
}
