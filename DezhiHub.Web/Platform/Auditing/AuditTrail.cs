using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using System.Text.Json;
using DezhiHub.Domain.Auditing;
using DezhiHub.Web.Data;
using DezhiHub.Web.Platform.Identity;

namespace DezhiHub.Web.Platform.Auditing;

/// <summary>
/// Writes audit entries into the caller's <see cref="AppDbContext"/>, so the entry commits or rolls back
/// together with the change it describes. Snapshot field names are listed, with how they read, in
/// <see cref="AuditFields"/>.
/// </summary>
public sealed class AuditTrail(TimeProvider clock)
{
    public const string SystemActor = "system";

    private static readonly JsonSerializerOptions Json = new()
    {
        // Chinese names stay readable in the stored JSON.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        // States are stored by name ("Approved"), which the log page labels in the reader's language.
        Converters = { new JsonStringEnumConverter() },
    };

    /// <remarks><paramref name="atUtc"/> is for history written after the fact (the demo seeding); otherwise the clock's now.</remarks>
    public void Record(
        AppDbContext db,
        ClaimsPrincipal? actor,
        string action,
        string entityType,
        string entityId,
        int? orgNodeId,
        object? before,
        object? after,
        DateTime? atUtc = null)
        => RecordAs(db, actor?.UserId(), actor?.DisplayName(), action, entityType, entityId, orgNodeId, before, after, atUtc);

    /// <summary>
    /// The entry of a change made by the person <paramref name="actorUserId"/> named <paramref name="actorName"/> (a
    /// person whose name is not known is written nameless), or by the app itself when both are null.
    /// </summary>
    public void RecordAs(
        AppDbContext db,
        int? actorUserId,
        string? actorName,
        string action,
        string entityType,
        string entityId,
        int? orgNodeId,
        object? before,
        object? after,
        DateTime? atUtc = null)
    {
        db.AuditEntries.Add(AuditEntry.Create(
            atUtc ?? clock.GetUtcNow().UtcDateTime,
            actorUserId,
            actorName ?? (actorUserId is null ? SystemActor : ""),
            action,
            entityType,
            entityId,
            orgNodeId,
            before is null ? null : JsonSerializer.Serialize(before, Json),
            after is null ? null : JsonSerializer.Serialize(after, Json)));
    }
}
