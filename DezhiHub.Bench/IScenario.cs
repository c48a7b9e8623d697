namespace DezhiHub.Bench;

/// <summary>
/// One benchmark scenario. It prints its findings to stdout and, on success, ends with
/// exactly one <see cref="ResultLine"/> as the very last line of output.
/// </summary>
internal interface IScenario
{
    /// <summary>Name used on the command line, e.g. <c>startup</c>.</summary>
    string Name { get; }

    /// <summary>One-line description shown in the scenario list.</summary>
    string Description { get; }

    /// <summary>Runs the scenario with the arguments after its name; returns the process exit code.</summary>
    Task<int> RunAsync(string[] args, CancellationToken cancellationToken);
}
