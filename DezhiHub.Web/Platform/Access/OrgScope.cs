using DezhiHub.Domain.Organization;

namespace DezhiHub.Web.Platform.Access;

/// <summary>Where a user may act: everywhere (Admin), one subtree (Organizer), or nowhere.</summary>
public sealed record OrgScope(bool Everywhere, string? RootPath, int? RootNodeId)
{
    public static readonly OrgScope Nowhere = new(false, null, null);
    public static readonly OrgScope All = new(true, null, null);

    public bool IsNone => !Everywhere && RootPath is null;

    /// <summary>The node at <paramref name="path"/> is the scope's root or below it.</summary>
    public bool Contains(string path) => Everywhere || (RootPath is not null && OrgNode.IsWithin(path, RootPath));

    /// <summary>Strictly below the root: an Organizer manages the nodes under their own, not their own node.</summary>
    public bool ContainsBelowRoot(string path) => Everywhere || (Contains(path) && path != RootPath);
}
