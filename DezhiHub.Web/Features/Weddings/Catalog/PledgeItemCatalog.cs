using System.Globalization;
using System.Security.Claims;
using DezhiHub.Domain.Weddings;
using DezhiHub.Domain;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Features.Auditing;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Auditing;
using DezhiHub.Web.Platform.Identity;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Weddings;

/// <summary>
/// The items of the civilized-wedding pledge (不要高价彩礼, 婚宴从简…), kept by Admins. Couples sign the live items in
/// their order; a signed pledge keeps the text as it read then, so editing or retiring an item never changes one.
/// </summary>
public sealed class PledgeItemCatalog(IDbContextFactory<AppDbContext> dbFactory, AuditTrail audit)
{
    public const string Entity = "PledgeItem";

    /// <summary>Gap between the orders of new items, so one can later be put between two others by its number.</summary>
    public const int OrderStep = 10;

    public async Task<IReadOnlyList<PledgeItemRow>> ListAsync(ClaimsPrincipal user, bool includeRetired = false, CancellationToken cancellationToken = default)
    {
        EnsureAdmin(user);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.PledgeItems.AsNoTracking()
            .Where(i => includeRetired || !i.IsRetired)
            .OrderBy(i => i.IsRetired).ThenBy(i => i.SortOrder).ThenBy(i => i.Id)
            .Select(i => new PledgeItemRow(i.Id, i.Text, i.SortOrder, i.IsRetired))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Adds an item at the end of the list; returns its id.</summary>
    public async Task<int> AddAsync(ClaimsPrincipal user, string? text, CancellationToken cancellationToken = default)
    {
        EnsureAdmin(user);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var last = await db.PledgeItems.MaxAsync(i => (int?)i.SortOrder, cancellationToken) ?? 0;
        var item = PledgeItem.Create(text ?? "", last + OrderStep);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.PledgeItems.Add(item);
        await db.SaveChangesAsync(cancellationToken);
        audit.Record(db, user, "pledge.item-created", Entity, Id(item.Id), null, null, new { item.Text, item.SortOrder });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return item.Id;
    }

    /// <summary>Changes an item's text and place in the list.</summary>
    public async Task UpdateAsync(ClaimsPrincipal user, int itemId, string? text, int sortOrder, CancellationToken cancellationToken = default)
    {
        EnsureAdmin(user);
        if (sortOrder is < 0 or > 1_000_000)
        {
            throw new DomainException(ErrorCodes.PledgeAdmin.OrderInvalid);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var item = await LoadLiveAsync(db, itemId, cancellationToken);
        var before = new { item.Text, item.SortOrder };
        item.Update(text ?? "", sortOrder);
        if (before.Text == item.Text && before.SortOrder == item.SortOrder)
        {
            return;
        }

        audit.Record(db, user, "pledge.item-updated", Entity, Id(itemId), null, before, new { item.Text, item.SortOrder });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Swaps an item with the live one above (or below) it; nothing happens at either end of the list.</summary>
    public async Task MoveAsync(ClaimsPrincipal user, int itemId, bool up, CancellationToken cancellationToken = default)
    {
        EnsureAdmin(user);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var item = await LoadLiveAsync(db, itemId, cancellationToken);
        var live = await db.PledgeItems.Where(i => !i.IsRetired).OrderBy(i => i.SortOrder).ThenBy(i => i.Id).ToListAsync(cancellationToken);
        var index = live.FindIndex(i => i.Id == itemId);
        var other = up ? index - 1 : index + 1;
        if (other < 0 || other >= live.Count)
        {
            return;
        }

        // Renumbered in steps, so equal orders left by hand edits cannot make a swap a no-op.
        (live[index], live[other]) = (live[other], live[index]);
        for (var i = 0; i < live.Count; i++)
        {
            live[i].Update(live[i].Text, (i + 1) * OrderStep);
        }

        audit.Record(db, user, "pledge.item-moved", Entity, Id(itemId), null,
            new { item.Text, Position = index + 1 }, new { item.Text, Position = other + 1 });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Takes an item out of the pledge couples sign from now on; signed pledges keep it.</summary>
    public async Task RetireAsync(ClaimsPrincipal user, int itemId, CancellationToken cancellationToken = default)
    {
        EnsureAdmin(user);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var item = await db.PledgeItems.FirstOrDefaultAsync(i => i.Id == itemId, cancellationToken) ?? throw new DomainException(ErrorCodes.PledgeAdmin.NotFound);
        if (item.IsRetired)
        {
            return;
        }

        // Counted under the items' lock (decision 0014, rule 43): two Admins retiring the last two items at once keep one.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await LockSql.NameAsync(db, "pledge-items", cancellationToken);
        if (await db.PledgeItems.CountAsync(i => !i.IsRetired && i.Id != itemId, cancellationToken) == 0)
        {
            throw new DomainException(ErrorCodes.PledgeAdmin.LastItem);
        }

        item.Retire();
        audit.Record(db, user, "pledge.item-retired", Entity, Id(itemId), null, new { item.Text, IsRetired = false }, new { IsRetired = true });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<PledgeItem> LoadLiveAsync(AppDbContext db, int itemId, CancellationToken cancellationToken)
    {
        var item = await db.PledgeItems.FirstOrDefaultAsync(i => i.Id == itemId, cancellationToken) ?? throw new DomainException(ErrorCodes.PledgeAdmin.NotFound);
        return item.IsRetired ? throw new DomainException(ErrorCodes.PledgeAdmin.Retired) : item;
    }

    private static void EnsureAdmin(ClaimsPrincipal user)
    {
        if (!user.IsAdmin())
        {
            throw new AccessDeniedException();
        }
    }

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
