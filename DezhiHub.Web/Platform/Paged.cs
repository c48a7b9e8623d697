namespace DezhiHub.Web.Platform;

/// <summary>One page of a list and the total count across all pages.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Total);
