using System.Globalization;
using System.Text.Json;
using DezhiHub.Web.Features.Localization;
using DezhiHub.Web.Resources;
using Microsoft.Extensions.Localization;

namespace DezhiHub.Web.Features.Auditing;

public static class AuditText
{
    /// <summary>"user.updated" → "更新了人员" / "updated a person"; unknown actions show their code.</summary>
    public static string Action(IStringLocalizer<Strings> strings, string action) =>
        strings[$"AuditAction.{action}"] is { ResourceNotFound: false } text ? text : action;

    /// <summary>The actor's name; changes made by the app itself (seeding, scheduled sweeps) read as "系统" / "System".</summary>
    public static string Actor(IStringLocalizer<Strings> strings, string actorName) =>
        actorName == AuditTrail.SystemActor ? strings["Audit.System"] : actorName;

    /// <summary>
    /// A stored before/after snapshot as readable "name: value" pairs: UTC times shown in the deployment's zone, lists
    /// joined. Anything that is not a JSON object is shown as it is.
    /// </summary>
    public static IReadOnlyList<(string Name, string Value)> Fields(string? json, DisplayTime time)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return [("", json)];
            }

            return [.. document.RootElement.EnumerateObject().Select(p => (p.Name, Value(p.Value, time)))];
        }
        catch (JsonException)
        {
            return [("", json)];
        }
    }

    private static string Value(JsonElement value, DisplayTime time) => value.ValueKind switch
    {
        JsonValueKind.String when value.TryGetDateTime(out var at) && at.Kind == DateTimeKind.Utc => time.FormatDateTime(at),
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Null => "—",
        JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(v => Value(v, time))),
        JsonValueKind.Object => string.Join("; ", value.EnumerateObject().Select(p => $"{p.Name}: {Value(p.Value, time)}")),
        JsonValueKind.True => "✓",
        JsonValueKind.False => "✗",
        _ => value.GetRawText(),
    };
}
