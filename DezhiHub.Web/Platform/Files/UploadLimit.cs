namespace DezhiHub.Web.Platform.Files;

/// <summary>
/// Endpoint metadata of an upload: the refusal that names its size limit. A body too large for the server to read at
/// all (over Kestrel's request limit, or a form limit) never reaches the endpoint — its form cannot even be searched for
/// the antiforgery token — and <see cref="ExpiredForms"/> answers 413 with this refusal's text instead of treating it
/// as an expired form. Bodies the server can read reach the store, which refuses anything over the limit in the same
/// words.
/// </summary>
public sealed record UploadLimit(string TooLargeCode, params object[] Args);
