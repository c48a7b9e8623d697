namespace DezhiHub.Domain.Notifications;

/// <summary>
/// An in-app message to one user. It stores a resource key and arguments, not text, so it reads in
/// whichever language the user has chosen when they open it.
/// </summary>
public sealed class Notification
{
    public const int MessageKeyMaxLength = 128;
    public const int LinkMaxLength = 256;

    private Notification()
    {
    }

    public long Id { get; private set; }

    public int UserId { get; private set; }

    public string MessageKey { get; private set; } = "";

    public IReadOnlyList<string> Args { get; private set; } = [];

    /// <summary>A local link ("/activities/12") the notification opens, if any.</summary>
    public string? Link { get; private set; }

    public DateTime CreatedAtUtc { get; private set; }

    public DateTime? ReadAtUtc { get; private set; }

    public bool IsRead => ReadAtUtc is not null;

    public static Notification Create(int userId, string messageKey, IReadOnlyList<string> args, string? link, DateTime nowUtc)
    {
        if (link is not null && (!link.StartsWith('/') || link.StartsWith("//", StringComparison.Ordinal)))
        {
            throw new ArgumentException("Notification links are local paths.", nameof(link));
        }

        return new Notification
        {
            UserId = userId,
            MessageKey = messageKey,
            Args = [.. args],
            Link = link,
            CreatedAtUtc = nowUtc,
        };
    }

    public void MarkRead(DateTime nowUtc) => ReadAtUtc ??= nowUtc;
}
