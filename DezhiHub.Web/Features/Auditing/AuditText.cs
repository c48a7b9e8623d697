using System.Globalization;
using System.Text.Json;
using DezhiHub.Web.Platform.Auditing;
using DezhiHub.Web.Platform.Localization;
using DezhiHub.Web.Resources;
using Microsoft.Extensions.Localization;

namespace DezhiHub.Web.Features.Auditing;

/// <summary>One line of an entry's change, e.g. "状态: 待审核 → 已通过". <see cref="From"/> is null when the value did not change or is only context.</summary>
public sealed record AuditChange(string Label, string? From, string To);

/// <summary>A person an entry names: the real name, and the masked phone that tells two people of one name apart.</summary>
public sealed record AuditPerson(string Name, string MaskedPhone);

/// <summary>What the ids in a page of entries stand for, read in a few queries (see <see cref="AuditLogQuery.NamesAsync"/>).</summary>
public sealed record AuditNames(
    IReadOnlyDictionary<int, AuditPerson> People,
    IReadOnlyDictionary<int, string> NodeNames,
    IReadOnlyDictionary<int, string> NodePaths,
    IReadOnlyDictionary<int, string> Services)
{
    public static readonly AuditNames None = new(new Dictionary<int, AuditPerson>(), new Dictionary<int, string>(), new Dictionary<int, string>(), new Dictionary<int, string>());
}

/// <summary>The ids a page of entries mentions, by what they are.</summary>
public sealed record AuditReferences(IReadOnlySet<int> People, IReadOnlySet<int> Nodes, IReadOnlySet<int> Services);

/// <summary>
/// The audit log in the reader's language: action names, and each entry's before/after snapshots as labelled lines with
/// values a person reads — states by their labels, people by name, org nodes by their path, UTC times in the deployment's
/// zone, yes/no, lists as names. A field or value it does not know is shown as stored, never an error.
/// </summary>
public static class AuditText
{
    /// <summary>"user.updated" → "更新了人员" / "updated a person"; unknown actions show their code.</summary>
    public static string Action(IStringLocalizer<Strings> strings, string action) =>
        strings[$"AuditAction.{action}"] is { ResourceNotFound: false } text ? text : action;

    /// <summary>The actor's name; changes made by the app itself (seeding, scheduled sweeps) read as "系统" / "System".</summary>
    public static string Actor(IStringLocalizer<Strings> strings, string actorName) =>
        actorName == AuditTrail.SystemActor ? strings["Audit.System"] : actorName;

    /// <summary>A field's label in the reader's language; a field without one shows its stored name.</summary>
    public static string Label(IStringLocalizer<Strings> strings, string field) =>
        strings[AuditFields.LabelPrefix + field] is { ResourceNotFound: false } text ? text : field;

    /// <summary>
    /// The entry's change, field by field in the order written: "before → after" where a field changed, the value alone
    /// where it did not or appears on one side only (context such as the activity's title). A snapshot that is not a
    /// JSON object is shown as it is.
    /// </summary>
    public static IReadOnlyList<AuditChange> Changes(IStringLocalizer<Strings> strings, DisplayTime time, AuditRow row, AuditNames names)
    {
        var before = Read(row.Before);
        var after = Read(row.After);
        if (before.Raw is not null || after.Raw is not null)
        {
            return [new AuditChange("", before.Raw, after.Raw ?? before.Raw!)];
        }

        var reader = new Reader(strings, time, names, row.EntityType);
        var changes = new List<AuditChange>();
        foreach (var name in before.Fields.Select(f => f.Key).Concat(after.Fields.Select(f => f.Key)).Distinct())
        {
            var field = AuditFields.Find(name, row.EntityType);
            var was = before.Fields.FirstOrDefault(f => f.Key == name);
            var now = after.Fields.FirstOrDefault(f => f.Key == name);
            var from = was.Key is null ? null : reader.Value(field, was.Value);
            var to = now.Key is null ? null : reader.Value(field, now.Value);
            changes.Add(from is not null && to is not null && from != to
                ? new AuditChange(Label(strings, name), from, to)
                : new AuditChange(Label(strings, name), null, to ?? from!));
        }

        return changes;
    }

    /// <summary>The people, org nodes and wedding services the entries name by id, to be looked up once for the page.</summary>
    public static AuditReferences References(IEnumerable<AuditRow> rows)
    {
        var people = new HashSet<int>();
        var nodes = new HashSet<int>();
        var services = new HashSet<int>();
        foreach (var row in rows)
        {
            foreach (var snapshot in new[] { Read(row.Before), Read(row.After) })
            {
                foreach (var (name, value) in snapshot.Fields)
                {
                    Collect(name, value, row.EntityType);
                }
            }
        }

        return new AuditReferences(people, nodes, services);

        void Collect(string name, JsonElement value, string entityType)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Array:
                    foreach (var item in value.EnumerateArray())
                    {
                        Collect(name, item, entityType);
                    }

                    return;
                case JsonValueKind.Object:
                    foreach (var property in value.EnumerateObject())
                    {
                        Collect(property.Name, property.Value, entityType);
                    }

                    return;
            }

            var kind = AuditFields.Find(name, entityType)?.Kind;
            if (kind == AuditValue.OrgPath && value.ValueKind == JsonValueKind.String)
            {
                nodes.UnionWith(PathIds(value.GetString()));
            }
            else if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var id))
            {
                _ = kind switch
                {
                    AuditValue.Person or AuditValue.People => people.Add(id),
                    AuditValue.OrgNode => nodes.Add(id),
                    AuditValue.Service => services.Add(id),
                    _ => false,
                };
            }
        }
    }

    /// <summary>The node ids along a materialised path "/1/4/17/".</summary>
    public static IEnumerable<int> PathIds(string? path) =>
        (path ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : (int?)null)
            .OfType<int>();

    private static (List<KeyValuePair<string, JsonElement>> Fields, string? Raw) Read(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return ([], null);
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? ([.. document.RootElement.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.Clone()))], null)
                : ([], json);
        }
        catch (JsonException)
        {
            return ([], json);
        }
    }

    private sealed class Reader(IStringLocalizer<Strings> strings, DisplayTime time, AuditNames names, string entityType)
    {
        public string Value(AuditField? field, JsonElement value)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Null or JsonValueKind.Undefined:
                    return "—";
                case JsonValueKind.Array when field?.Kind == AuditValue.Roles:
                    var roles = value.EnumerateArray().Select(r => r.ValueKind == JsonValueKind.String ? Known($"Role.{r.GetString()}", r.GetString()!) : Value(null, r)).ToList();
                    return roles.Count == 0 ? strings["Role.Resident"] : List(roles);
                case JsonValueKind.Array:
                    var items = value.EnumerateArray().ToList();
                    return items.Count == 0
                        ? "—"
                        : string.Join(
                            items.All(i => i.ValueKind == JsonValueKind.Object) ? strings["Audit.GroupSeparator"] : strings["Audit.ListSeparator"],
                            items.Select(i => Value(field, i)));
                case JsonValueKind.Object:
                    // A nested object (a lottery draw's slot): its own fields, labelled.
                    return string.Join(
                        strings["Audit.PairSeparator"],
                        value.EnumerateObject().Select(p => $"{Label(strings, p.Name)}: {Value(AuditFields.Find(p.Name, entityType), p.Value)}"));
            }

            return field?.Kind switch
            {
                AuditValue.YesNo or AuditValue.Text or null => Plain(value),
                AuditValue.Time when value.ValueKind == JsonValueKind.String && TryUtc(value.GetString(), out var utc) => time.FormatDateTime(utc),
                AuditValue.Date when value.ValueKind == JsonValueKind.String && DateText.ParseIso(value.GetString()) is { } date => DateText.Date(date),
                AuditValue.Person or AuditValue.People when Id(value) is { } id => Person(id),
                AuditValue.OrgNode when Id(value) is { } id => names.NodePaths.TryGetValue(id, out var path) ? PathNames(path) : $"#{id}",
                AuditValue.OrgPath when value.ValueKind == JsonValueKind.String => PathNames(value.GetString()!),
                AuditValue.Service when Id(value) is { } id => names.Services.GetValueOrDefault(id) ?? $"#{id}",
                AuditValue.Bookings when Id(value) is { } id => $"#{id}",
                AuditValue.Choice => Choice(field, value),
                AuditValue.LotteryRule when value.ValueKind == JsonValueKind.String && value.GetString() == AuditFields.LotteryRuleText => strings["Audit.LotteryRule"],
                _ => Plain(value),
            };
        }

        /// <summary>What the stored value says, for text, numbers and fields this list does not know.</summary>
        private string Plain(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.True => strings["Audit.Yes"],
            JsonValueKind.False => strings["Audit.No"],
            // A field this list does not know may still hold a UTC time: shown in the deployment's zone.
            JsonValueKind.String when value.TryGetDateTime(out var at) && at.Kind == DateTimeKind.Utc => time.FormatDateTime(at),
            JsonValueKind.String => value.GetString() ?? "",
            _ => value.GetRawText(),
        };

        private string Choice(AuditField field, JsonElement value)
        {
            var name = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                // Older entries wrote some states as their number.
                JsonValueKind.Number when value.TryGetInt32(out var number) && field.Enum is { } type => Enum.GetName(type, Enum.ToObject(type, number)),
                _ => null,
            };
            return name is null ? Plain(value) : Known(string.Format(CultureInfo.InvariantCulture, field.Labels!, name), name);
        }

        private string Person(int id)
        {
            if (!names.People.TryGetValue(id, out var person))
            {
                return $"#{id}";
            }

            if (string.IsNullOrWhiteSpace(person.Name))
            {
                return person.MaskedPhone;
            }

            // Two people of one name on the page are told apart by their masked numbers.
            var namesake = names.People.Any(p => p.Key != id && p.Value.Name == person.Name);
            return namesake && person.MaskedPhone.Length > 0 ? strings["Audit.PersonWithPhone", person.Name, person.MaskedPhone] : person.Name;
        }

        private string PathNames(string path)
        {
            var ids = PathIds(path).ToList();
            return ids.Count == 0 ? path : string.Join(" / ", ids.Select(id => names.NodeNames.GetValueOrDefault(id) ?? $"#{id}"));
        }

        private string List(IEnumerable<string> items) => string.Join(strings["Audit.ListSeparator"], items);

        private string Known(string key, string fallback) => strings[key] is { ResourceNotFound: false } text ? text : fallback;

        private static int? Id(JsonElement value) => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var id) ? id : null;

        private static bool TryUtc(string? text, out DateTime utc)
        {
            // Stored times are UTC; one written without a zone marker is UTC too.
            var parsed = DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out utc);
            utc = DateTime.SpecifyKind(utc, DateTimeKind.Utc);
            return parsed;
        }
    }
}
