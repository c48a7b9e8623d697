namespace DezhiHub.Web.Platform.Access;

/// <summary>The acting user may not do this (wrong role, or outside their org subtree). Pages show a message; endpoints answer 403.</summary>
public sealed class AccessDeniedException() : Exception("Access denied.");
