namespace DezhiHub.Domain.Auditing;

/// <summary>One state change that matters: who, when, what, before and after. Never updated.</summary>
public sealed class AuditEntry
{
    public const int ActionMaxLength = 64;
    public const int EntityTypeMaxLength = 64;
    public const int EntityIdMaxLength = 64;
    public const int ActorNameMaxLength = 64;

    private AuditEntry()
    {
    }

    public long Id { get; private set; }

    public DateTime OccurredAtUtc { get; private set; }

    public int? ActorUserId { get; private set; }

    public string ActorName { get; private set; } = "";

    /// <summary>A dotted verb, e.g. "user.roles.changed"; the UI localizes it.</summary>
    public string Action { get; private set; } = "";

    public string EntityType { get; private set; } = "";

    public string EntityId { get; private set; } = "";

    /// <summary>The org node the change belongs to, so an Organizer's view can be scoped.</summary>
    public int? OrgNodeId { get; private set; }

    public string? Before { get; private set; }

    public string? After { get; private set; }

    public static AuditEntry Create(
        DateTime occurredAtUtc,
        int? actorUserId,
        string actorName,
        string action,
        string entityType,
        string entityId,
        int? orgNodeId,
        string? before,
        string? after)
    {
        if (occurredAtUtc.Kind != DateTimeKind.Utc)
        {
            throw new ArgumentException("Audit times are UTC.", nameof(occurredAtUtc));
        }

        return new AuditEntry
        {
            OccurredAtUtc = occurredAtUtc,
            ActorUserId = actorUserId,
            ActorName = Truncate(actorName, ActorNameMaxLength),
            Action = Truncate(action, ActionMaxLength),
            EntityType = Truncate(entityType, EntityTypeMaxLength),
            EntityId = Truncate(entityId, EntityIdMaxLength),
            OrgNodeId = orgNodeId,
            Before = before,
            After = after,
        };
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}
