using System.Reflection;
using DezhiHub.Domain;
using DezhiHub.Domain.Organization;

namespace DezhiHub.Tests.Domain;

public sealed class OrgNodeTests
{
    [Fact]
    public void CreateChild_TakesTheLevelBelowItsParent()
    {
        var city = Saved(OrgNode.CreateRoot("太行市"), 1, "/");
        var district = Saved(OrgNode.CreateChild(city, "城区"), 2, city.Path);
        Assert.Equal(OrgLevel.District, district.Level);
        Assert.Equal("/1/2/", district.Path);
        Assert.Equal(1, district.ParentId);
    }

    [Fact]
    public void CreateChild_UnderAGridCellIsRefused()
    {
        var cell = Chain(OrgLevel.GridCell);
        var error = Assert.Throws<DomainException>(() => OrgNode.CreateChild(cell, "x"));
        Assert.Equal("Org.GridCellHasNoChildren", error.Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Names_MustNotBeBlank(string name)
    {
        Assert.Equal("Org.NameRequired", Assert.Throws<DomainException>(() => OrgNode.CreateRoot(name)).Code);
    }

    [Fact]
    public void Names_AreTrimmedAndLimited()
    {
        Assert.Equal("红星社区", OrgNode.CreateRoot("  红星社区 ").Name);
        Assert.Equal("Org.NameTooLong", Assert.Throws<DomainException>(() => OrgNode.CreateRoot(new string('x', OrgNode.NameMaxLength + 1))).Code);
    }

    [Fact]
    public void MoveUnder_ReturnsTheOldAndNewPrefixOfTheSubtree()
    {
        var city = Saved(OrgNode.CreateRoot("市"), 1, "/");
        var districtA = Saved(OrgNode.CreateChild(city, "A"), 2, city.Path);
        var districtB = Saved(OrgNode.CreateChild(city, "B"), 3, city.Path);
        var street = Saved(OrgNode.CreateChild(districtA, "街道"), 4, districtA.Path);

        var (oldPrefix, newPrefix) = street.MoveUnder(districtB);

        Assert.Equal("/1/2/4/", oldPrefix);
        Assert.Equal("/1/3/4/", newPrefix);
        Assert.Equal(3, street.ParentId);
    }

    [Fact]
    public void MoveUnder_ANodeOfTheWrongLevelIsRefused()
    {
        var city = Saved(OrgNode.CreateRoot("市"), 1, "/");
        var district = Saved(OrgNode.CreateChild(city, "A"), 2, city.Path);
        var street = Saved(OrgNode.CreateChild(district, "街道"), 3, district.Path);
        Assert.Equal("Org.WrongParentLevel", Assert.Throws<DomainException>(() => street.MoveUnder(city)).Code);
        Assert.Equal("/1/2/3/", street.Path);
    }

    [Fact]
    public void MoveUnder_ItsOwnDescendantIsRefused()
    {
        var city = Saved(OrgNode.CreateRoot("市"), 1, "/");
        var district = Saved(OrgNode.CreateChild(city, "A"), 2, city.Path);
        var street = Saved(OrgNode.CreateChild(district, "街道"), 3, district.Path);
        Assert.Equal("Org.CannotMoveIntoOwnSubtree", Assert.Throws<DomainException>(() => district.MoveUnder(street)).Code);
    }

    [Fact]
    public void Retire_RefusedWhileChildrenAreActive_AndTheCityNeverRetires()
    {
        var city = Saved(OrgNode.CreateRoot("市"), 1, "/");
        var district = Saved(OrgNode.CreateChild(city, "A"), 2, city.Path);
        Assert.Equal("Org.RetireChildrenFirst", Assert.Throws<DomainException>(() => district.Retire(hasActiveChildren: true)).Code);
        Assert.Equal("Org.CityCannotRetire", Assert.Throws<DomainException>(() => city.Retire(hasActiveChildren: false)).Code);

        district.Retire(hasActiveChildren: false);
        Assert.True(district.IsRetired);
        Assert.Equal("Org.NodeRetired", Assert.Throws<DomainException>(() => district.Rename("B")).Code);
        Assert.Equal("Org.ParentRetired", Assert.Throws<DomainException>(() => OrgNode.CreateChild(district, "街道")).Code);
    }

    [Theory]
    [InlineData("/1/2/", "/1/", true)]
    [InlineData("/1/", "/1/", true)]
    [InlineData("/1/23/", "/1/2/", false)] // a prefix of digits is not a prefix of the path
    [InlineData("/1/2/", "", false)]
    public void IsWithin_ComparesWholePathSegments(string path, string ancestor, bool expected) =>
        Assert.Equal(expected, OrgNode.IsWithin(path, ancestor));

    private static OrgNode Chain(OrgLevel level)
    {
        var node = Saved(OrgNode.CreateRoot("市"), 1, "/");
        for (var i = 1; i <= (int)level; i++)
        {
            node = Saved(OrgNode.CreateChild(node, $"n{i}"), i + 1, node.Path);
        }

        return node;
    }

    /// <summary>What the database does on insert: gives the id, after which the path can be set.</summary>
    private static OrgNode Saved(OrgNode node, int id, string parentPath)
    {
        typeof(OrgNode).GetProperty(nameof(OrgNode.Id), BindingFlags.Public | BindingFlags.Instance)!.SetValue(node, id);
        node.AssignPath(parentPath);
        return node;
    }
}
