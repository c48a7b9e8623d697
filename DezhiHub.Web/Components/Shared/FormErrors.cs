using DezhiHub.Domain;
using Microsoft.Extensions.Localization;

namespace DezhiHub.Web.Components.Shared;

/// <summary>
/// What an interactive form shows under its fields: the domain's refusal codes by field, in the reader's language.
/// Nothing shows before the first save attempt (<see cref="Submit"/>); from then on the form's own validation runs again
/// after every change (<see cref="Changed"/>), so a message goes as soon as the field is right. The service's answer on
/// save (<see cref="Answered(string, DomainException)"/>) stands until the next change; a refusal of a chosen file
/// (<see cref="FileRefused"/>) until another file is chosen (<see cref="FileChosen"/>). One of these per form, instead of a dictionary
/// and its rules in each.
/// </summary>
public sealed class FormErrors(IStringLocalizer localizer, Func<IReadOnlyDictionary<string, (string Code, object[] Args)>> validate)
{
    private readonly Dictionary<string, (string Code, object[] Args)> _kept = [];
    private readonly Dictionary<string, (string Code, object[] Args)> _answered = [];
    private IReadOnlyDictionary<string, (string Code, object[] Args)> _validated = new Dictionary<string, (string, object[])>();

    /// <summary>True once the person has tried to save.</summary>
    public bool Submitted { get; private set; }

    /// <summary>How many fields have a message.</summary>
    public int Count => _validated.Keys.Union(_answered.Keys).Union(_kept.Keys).Count();

    public bool Has(string field) => _kept.ContainsKey(field) || _answered.ContainsKey(field) || _validated.ContainsKey(field);

    /// <summary>The field's message in the reader's language; null when it has none.</summary>
    public string? Message(string field) =>
        _kept.TryGetValue(field, out var error) || _answered.TryGetValue(field, out error) || _validated.TryGetValue(field, out error)
            ? localizer[error.Code, error.Args].Value
            : null;

    /// <summary>The save attempt: validates, and from now on after every change; true when nothing is wrong.</summary>
    public bool Submit()
    {
        Submitted = true;
        _answered.Clear();
        _validated = validate();
        return Count == 0;
    }

    /// <summary>A field changed: once the person has tried to save, the messages follow what is there now.</summary>
    public void Changed()
    {
        if (Submitted)
        {
            _answered.Clear();
            _validated = validate();
        }
    }

    /// <summary>The service refused the save because of this field; the message stands until the next change.</summary>
    public void Answered(string field, DomainException refusal) => _answered[field] = (refusal.Code, [.. refusal.Args]);

    /// <summary>The service's refusals on save, by field (the first per field), standing until the next change.</summary>
    public void Answered(IEnumerable<(string Field, string Code)> refusals)
    {
        foreach (var (field, code) in refusals)
        {
            _answered.TryAdd(field, (code, []));
        }
    }

    /// <summary>A chosen file was refused: the message stays until another file is chosen.</summary>
    public void FileRefused(string field, DomainException refusal) => _kept[field] = (refusal.Code, [.. refusal.Args]);

    /// <summary>Another file was chosen: its field's refusal goes.</summary>
    public void FileChosen(string field) => _kept.Remove(field);
}
