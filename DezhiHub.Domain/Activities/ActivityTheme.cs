namespace DezhiHub.Domain.Activities;

/// <summary>An Admin-managed theme (主题) such as 太行精神 or 家风家教.</summary>
public sealed class ActivityTheme
{
    public const int NameMaxLength = 32;

    private ActivityTheme()
    {
    }

    public int Id { get; private set; }

    public string Name { get; private set; } = "";

    public bool IsRetired { get; private set; }

    public static ActivityTheme Create(string name) => new() { Name = Clean(name) };

    public void Rename(string name) => Name = Clean(name);

    public void Retire() => IsRetired = true;

    public void Restore() => IsRetired = false;

    private static string Clean(string name)
    {
        var trimmed = PersonText.Checked(name);
        if (trimmed.Length == 0)
        {
            throw new DomainException(ErrorCodes.Theme.NameRequired);
        }

        return trimmed.Length <= NameMaxLength ? trimmed : throw new DomainException(ErrorCodes.Theme.NameTooLong, NameMaxLength);
    }
}
