namespace DezhiHub.Bench;

/// <summary>A failure with a message meant for the user; Program prints it and exits with code 1.</summary>
internal sealed class BenchException(string message) : Exception(message);
