using DezhiHub.Domain.Organization;
using DezhiHub.Domain;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Organization;
using DezhiHub.Web.Platform.Access;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Tests.Features;

public sealed class OrgTreeServiceTests : IAsyncLifetime
{
    private FeatureHost _host = default!;
    private TestCity _city = default!;

    public async Task InitializeAsync()
    {
        _host = await FeatureHost.CreateAsync(demoData: false);
        _city = await TestCity.CreateAsync(_host);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Create_GivesTheNodeAPathUnderItsParent_AndAudits()
    {
        var admin = _city.Admin.Principal;
        var hongxing = _city.Community.Id;

        var id = await _host.Scoped<OrgTreeService>().CreateAsync(admin, hongxing, "第四网格");

        await using var db = _host.NewDb();
        var node = await db.OrgNodes.SingleAsync(n => n.Id == id);
        var parent = await db.OrgNodes.SingleAsync(n => n.Id == hongxing);
        Assert.Equal($"{parent.Path}{id}/", node.Path);
        Assert.Equal(OrgLevel.GridCell, node.Level);
        var audit = await db.AuditEntries.SingleAsync(a => a.Action == "org.created");
        Assert.Equal(_city.Admin.Name, audit.ActorName);
        Assert.Contains("第四网格", audit.After);
    }

    [Fact]
    public async Task Move_RePathsTheWholeSubtree_SoSubtreeQueriesFollowTheNode()
    {
        var admin = _city.Admin.Principal;
        var street = _city.Street.Id;
        var newDistrict = _city.OtherDistrict.Id;
        await _city.RewardAsync(_city.Community);
        await _city.HallAsync(_city.Community);
        await using (var before = _host.NewDb())
        {
            Assert.Equal(6, await SubtreeSizeAsync(before, street)); // street + 2 communities + 3 grid cells
        }

        await _host.Scoped<OrgTreeService>().MoveAsync(admin, street, newDistrict);

        await using var db = _host.NewDb();
        var districtPath = await db.OrgNodes.Where(n => n.Id == newDistrict).Select(n => n.Path).SingleAsync();
        var moved = await db.OrgNodes.SingleAsync(n => n.Id == street);
        Assert.Equal($"{districtPath}{street}/", moved.Path);
        Assert.Equal(6, await SubtreeSizeAsync(db, street));
        // Every descendant's path now starts with the street's new path, and each still ends with its own id.
        var hongxingCell = await db.OrgNodes.FirstAsync(n => n.Name == "第一网格" && n.Path.Contains($"/{street}/"));
        Assert.StartsWith(moved.Path, hongxingCell.Path);
        Assert.EndsWith($"/{hongxingCell.Id}/", hongxingCell.Path);
        // What carries a node's path (rewards, wedding services) moved along: 东湖社区 has both.
        var paths = await db.OrgNodes.ToDictionaryAsync(n => n.Id, n => n.Path);
        var rewards = await db.RewardItems.Where(i => i.OrgPath.StartsWith(moved.Path)).ToListAsync();
        var halls = await db.WeddingResources.Where(r => r.OrgPath.StartsWith(moved.Path)).ToListAsync();
        Assert.NotEmpty(rewards);
        Assert.NotEmpty(halls);
        Assert.All(rewards, i => Assert.Equal(paths[i.OrgNodeId], i.OrgPath));
        Assert.All(halls, r => Assert.Equal(paths[r.OrgNodeId], r.OrgPath));
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "org.moved"));
    }

    [Fact]
    public async Task Move_IntoTheWrongLevel_ChangesNothing()
    {
        var admin = _city.Admin.Principal;
        var community = _city.Community.Id;
        var district = _city.OtherDistrict.Id;
        string pathBefore;
        await using (var db = _host.NewDb())
        {
            pathBefore = await db.OrgNodes.Where(n => n.Id == community).Select(n => n.Path).SingleAsync();
        }

        var error = await Assert.ThrowsAsync<DomainException>(() => _host.Scoped<OrgTreeService>().MoveAsync(admin, community, district));

        Assert.Equal("Org.WrongParentLevel", error.Code);
        await using var after = _host.NewDb();
        Assert.Equal(pathBefore, await after.OrgNodes.Where(n => n.Id == community).Select(n => n.Path).SingleAsync());
        Assert.False(await after.AuditEntries.AnyAsync(a => a.Action == "org.moved"));
    }

    [Fact]
    public async Task Rename_ToASiblingsName_IsRefused()
    {
        var admin = _city.Admin.Principal;
        var heping = _city.OtherCommunity.Id;
        var error = await Assert.ThrowsAsync<DomainException>(() => _host.Scoped<OrgTreeService>().RenameAsync(admin, heping, "东湖社区"));
        Assert.Equal("Org.DuplicateName", error.Code);
    }

    [Fact]
    public async Task Retire_RefusedWithActiveChildren_AllowedForALeaf()
    {
        var admin = _city.Admin.Principal;
        var service = _host.Scoped<OrgTreeService>();
        var hongxing = _city.Community.Id;
        Assert.Equal("Org.RetireChildrenFirst", (await Assert.ThrowsAsync<DomainException>(() => service.RetireAsync(admin, hongxing))).Code);

        var leaf = await service.CreateAsync(admin, hongxing, "临时网格");
        await service.RetireAsync(admin, leaf);

        // A retired node is no longer offered by the picker.
        Assert.DoesNotContain(await service.SearchAsync("临时网格"), o => o.Id == leaf);
    }

    [Fact]
    public async Task Organizer_ManagesBelowTheirCommunity_OnlyThere()
    {
        var organizer = _city.Organizer.Principal;
        var service = _host.Scoped<OrgTreeService>();
        var hongxing = _city.Community.Id;
        var heping = _city.OtherCommunity.Id;

        var own = await service.CreateAsync(organizer, hongxing, "第四网格");
        await service.RenameAsync(organizer, own, "第五网格");

        await Assert.ThrowsAsync<AccessDeniedException>(() => service.CreateAsync(organizer, heping, "入侵网格"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.RenameAsync(organizer, heping, "改名"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.RenameAsync(organizer, hongxing, "自己的节点")); // not their own node
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.GetChildrenAsync(organizer, heping));
        var hepingCell = await FirstChildAsync(heping);
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.MoveAsync(organizer, hepingCell, hongxing));
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.MoveAsync(organizer, own, heping));

        await using var db = _host.NewDb();
        Assert.Equal("西湖社区", await db.OrgNodes.Where(n => n.Id == heping).Select(n => n.Name).SingleAsync());
        Assert.False(await db.OrgNodes.AnyAsync(n => n.Name == "入侵网格"));
        Assert.Equal(heping, await db.OrgNodes.Where(n => n.Id == hepingCell).Select(n => n.ParentId).SingleAsync());
    }

    [Fact]
    public async Task ResidentsAndVolunteers_ManageNothing()
    {
        var service = _host.Scoped<OrgTreeService>();
        var resident = _city.Resident.Principal;
        var volunteer = _city.Volunteer.Principal;
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.GetRootsAsync(resident));
        var hongxing = _city.Community.Id;
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.CreateAsync(volunteer, hongxing, "x"));
    }

    [Fact]
    public async Task Search_FindsByPartOfTheName_WithTheFullPath()
    {
        var options = await _host.Scoped<OrgTreeService>().SearchAsync("东湖", [OrgLevel.Community]);
        var option = Assert.Single(options);
        Assert.Equal("测试市 / 测试区 / 测试街道 / 东湖社区", option.FullName);
    }

    /// <summary>Rule 47 of decision 0014: ten people adding the same grid cell at once make one.</summary>
    [Fact]
    public async Task TenParallelAdditionsOfOneName_MakeOneNode()
    {
        var admin = _city.Admin.Principal;
        var hongxing = _city.Community.Id;
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
        {
            try
            {
                await _host.Scoped<OrgTreeService>().CreateAsync(admin, hongxing, "同名网格");
                return "ok";
            }
            catch (DomainException ex)
            {
                return ex.Code;
            }
        })));

        Assert.Single(results, r => r == "ok");
        Assert.All(results.Where(r => r != "ok"), r => Assert.Equal("Org.DuplicateName", r));
        await using var db = _host.NewDb();
        Assert.Equal(1, await db.OrgNodes.CountAsync(n => n.Name == "同名网格"));
    }

    /// <summary>Rule 48, ten rounds: a community retired while a grid cell is added under it never ends retired with a live child.</summary>
    [Fact]
    public async Task RetiringANodeWhileAChildIsAdded_NeverLeavesALiveChildUnderARetiredNode()
    {
        var admin = _city.Admin.Principal;
        var street = await FirstParentOfCommunitiesAsync();
        for (var round = 0; round < 10; round++)
        {
            var community = await _host.Scoped<OrgTreeService>().CreateAsync(admin, street, $"待撤销社区{round}");
            var outcomes = await Task.WhenAll(
                Task.Run(() => Outcome(() => _host.Scoped<OrgTreeService>().RetireAsync(admin, community))),
                Task.Run(() => Outcome(() => _host.Scoped<OrgTreeService>().CreateAsync(admin, community, "新网格"))));

            await using var db = _host.NewDb();
            var retired = await db.OrgNodes.Where(n => n.Id == community).Select(n => n.IsRetired).SingleAsync();
            var liveChildren = await db.OrgNodes.CountAsync(n => n.ParentId == community && !n.IsRetired);
            Assert.False(retired && liveChildren > 0, $"round {round}: retired with {liveChildren} live children ({string.Join(", ", outcomes)})");
            Assert.Single(outcomes, o => o == "ok");
        }

        static async Task<string> Outcome(Func<Task> action)
        {
            try
            {
                await action();
                return "ok";
            }
            catch (DomainException ex)
            {
                return ex.Code;
            }
        }
    }

    private async Task<int> FirstParentOfCommunitiesAsync()
    {
        await using var db = _host.NewDb();
        return await db.OrgNodes.Where(n => n.Level == OrgLevel.Community).OrderBy(n => n.Id).Select(n => n.ParentId!.Value).FirstAsync();
    }

    private static Task<int> SubtreeSizeAsync(DezhiHub.Web.Data.AppDbContext db, int id)
    {
        var path = db.OrgNodes.Where(n => n.Id == id).Select(n => n.Path).Single();
        return db.OrgNodes.CountAsync(n => n.Path.StartsWith(path));
    }

    private async Task<int> FirstChildAsync(int parentId)
    {
        await using var db = _host.NewDb();
        return await db.OrgNodes.Where(n => n.ParentId == parentId).Select(n => n.Id).FirstAsync();
    }
}
