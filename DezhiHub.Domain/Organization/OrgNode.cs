namespace DezhiHub.Domain.Organization;

/// <summary>
/// A node of the organisation tree. <see cref="Path"/> is the materialised path of ids ("/1/4/17/"),
/// so "everything under this node" is one indexed prefix match.
/// </summary>
public sealed class OrgNode
{
    public const int NameMaxLength = 64;
    public const int PathMaxLength = 256;

    private OrgNode()
    {
    }

    public int Id { get; private set; }

    public int? ParentId { get; private set; }

    public string Name { get; private set; } = "";

    public OrgLevel Level { get; private set; }

    /// <summary>"/1/4/17/" — ancestors' ids then this node's id; empty until the node has an id.</summary>
    public string Path { get; private set; } = "";

    public bool IsRetired { get; private set; }

    public static OrgNode CreateRoot(string name) => new() { Name = CleanName(name), Level = OrgLevel.City };

    public static OrgNode CreateChild(OrgNode parent, string name)
    {
        ArgumentNullException.ThrowIfNull(parent);
        if (parent.IsRetired)
        {
            throw new DomainException(ErrorCodes.Org.ParentRetired);
        }

        if (parent.Level == OrgLevel.GridCell)
        {
            throw new DomainException(ErrorCodes.Org.GridCellHasNoChildren);
        }

        return new OrgNode { Name = CleanName(name), Level = parent.Level + 1, ParentId = parent.Id };
    }

    /// <summary>Sets the path once the database has given the node its id.</summary>
    public void AssignPath(string parentPath)
    {
        if (Id <= 0)
        {
            throw new InvalidOperationException("A node needs its id before its path.");
        }

        Path = $"{parentPath}{Id}/";
    }

    public void Rename(string name)
    {
        EnsureActive();
        Name = CleanName(name);
    }

    /// <summary>Moves this node under <paramref name="newParent"/>; returns the old and new path prefix of the subtree.</summary>
    public (string OldPrefix, string NewPrefix) MoveUnder(OrgNode newParent)
    {
        ArgumentNullException.ThrowIfNull(newParent);
        EnsureActive();
        if (newParent.IsRetired)
        {
            throw new DomainException(ErrorCodes.Org.ParentRetired);
        }

        if (Level == OrgLevel.City)
        {
            throw new DomainException(ErrorCodes.Org.CityCannotMove);
        }

        if (IsSameOrAncestorOf(newParent.Path))
        {
            throw new DomainException(ErrorCodes.Org.CannotMoveIntoOwnSubtree);
        }

        if (newParent.Level != Level - 1)
        {
            throw new DomainException(ErrorCodes.Org.WrongParentLevel);
        }

        var oldPrefix = Path;
        ParentId = newParent.Id;
        Path = $"{newParent.Path}{Id}/";
        return (oldPrefix, Path);
    }

    public void Retire(bool hasActiveChildren)
    {
        EnsureActive();
        if (Level == OrgLevel.City)
        {
            throw new DomainException(ErrorCodes.Org.CityCannotRetire);
        }

        if (hasActiveChildren)
        {
            throw new DomainException(ErrorCodes.Org.RetireChildrenFirst);
        }

        IsRetired = true;
    }

    /// <summary>True when <paramref name="otherPath"/> is this node or lies in its subtree.</summary>
    public bool IsSameOrAncestorOf(string otherPath) => IsWithin(otherPath, Path);

    public static bool IsWithin(string path, string ancestorPath) =>
        ancestorPath.Length > 0 && path.StartsWith(ancestorPath, StringComparison.Ordinal);

    private void EnsureActive()
    {
        if (IsRetired)
        {
            throw new DomainException(ErrorCodes.Org.NodeRetired);
        }
    }

    private static string CleanName(string name)
    {
        var trimmed = PersonText.Checked(name);
        if (trimmed.Length == 0)
        {
            throw new DomainException(ErrorCodes.Org.NameRequired);
        }

        if (trimmed.Length > NameMaxLength)
        {
            throw new DomainException(ErrorCodes.Org.NameTooLong, NameMaxLength);
        }

        return trimmed;
    }
}
