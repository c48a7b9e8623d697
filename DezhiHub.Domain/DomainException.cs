namespace DezhiHub.Domain;

/// <summary>
/// A broken business rule. <see cref="Code"/> is a resource key the UI localizes (with <see cref="Args"/>),
/// so the domain never carries user-facing text in one language.
/// </summary>
public sealed class DomainException(string code, params object[] args) : Exception(code)
{
    public string Code { get; } = code;

    public IReadOnlyList<object> Args { get; } = args;
}
