using System.Globalization;
using System.Security.Claims;
using DezhiHub.Domain.Accounts;
using DezhiHub.Domain.Market;
using DezhiHub.Domain;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.Accounts;
using DezhiHub.Web.Platform.Access;
using DezhiHub.Web.Platform.Files;
using DezhiHub.Web.Platform.Identity;
using DezhiHub.Web.Platform.Localization;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Features.Market;

/// <summary>
/// A Partner's view of the market (合作伙伴): their own items, the vouchers handed over for them, and the monthly
/// settlement — per item and price, how many were handed over and for how many points. Months are calendar months in
/// the deployment's zone. Only the Partner themself sees it.
/// </summary>
public sealed class PartnerService(IDbContextFactory<AppDbContext> dbFactory, DisplayTime time)
{
    public const int EarliestYear = 2020;

    public async Task<IReadOnlyList<PartnerItem>> ItemsAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var me = RequirePartner(user);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.RewardItems.AsNoTracking().Where(i => i.PartnerUserId == me)
            .OrderBy(i => i.IsRetired).ThenByDescending(i => i.Id)
            .Select(i => new PartnerItem(
                i.Id, i.Name, i.PictureFile != null, i.PointsCost, i.Stock, i.IsRetired,
                db.OrgNodes.Where(n => n.Id == i.OrgNodeId).Select(n => n.Name).FirstOrDefault() ?? "",
                db.Redemptions.Count(r => r.ItemId == i.Id && r.Status == RedemptionStatus.Pending),
                db.Redemptions.Count(r => r.ItemId == i.Id && r.Status == RedemptionStatus.Fulfilled)))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Vouchers of the Partner's items handed over in the month, latest first.</summary>
    public async Task<IReadOnlyList<FulfilledVoucher>> FulfilledAsync(ClaimsPrincipal user, int year, int month, CancellationToken cancellationToken = default)
    {
        var me = RequirePartner(user);
        var (start, end) = Period(year, month);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await (
            from r in db.Redemptions.AsNoTracking()
            join i in db.RewardItems on r.ItemId equals i.Id
            join u in db.Users on r.UserId equals u.Id
            where i.PartnerUserId == me && r.Status == RedemptionStatus.Fulfilled && r.ClosedAtUtc >= start && r.ClosedAtUtc < end
            orderby r.ClosedAtUtc descending
            select new FulfilledVoucher(r.Id, i.Name, u.RealName, r.Points, r.ClosedAtUtc!.Value,
                db.Users.Where(c => c.Id == r.ClosedByUserId).Select(c => c.RealName).FirstOrDefault()))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The month's settlement: per item and price, the vouchers handed over and their points.</summary>
    public async Task<Settlement> SettlementAsync(ClaimsPrincipal user, int year, int month, CancellationToken cancellationToken = default)
    {
        var me = RequirePartner(user);
        var (start, end) = Period(year, month);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var name = await db.Users.AsNoTracking().Where(u => u.Id == me).Select(u => u.RealName).FirstOrDefaultAsync(cancellationToken) ?? "";
        var lines = await (
            from r in db.Redemptions.AsNoTracking()
            join i in db.RewardItems on r.ItemId equals i.Id
            where i.PartnerUserId == me && r.Status == RedemptionStatus.Fulfilled && r.ClosedAtUtc >= start && r.ClosedAtUtc < end
            group r by new { r.ItemId, i.Name, r.Points } into g
            orderby g.Key.Name, g.Key.Points
            select new SettlementLine(g.Key.ItemId, g.Key.Name, g.Key.Points, g.Count(), g.Sum(r => r.Points)))
            .ToListAsync(cancellationToken);
        return new Settlement(name, year, month, lines);
    }

    /// <summary>"2026-11" → (2026, 11); null for anything else or a month outside the range the page offers.</summary>
    public static (int Year, int Month)? ParseMonth(string? text) =>
        DateTime.TryParseExact(text, DateText.IsoMonthFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && date.Year >= EarliestYear && date.Year <= 9998
            ? (date.Year, date.Month)
            : null;

    /// <summary>The settlement as CSV (headers in the reader's language).</summary>
    public static string Csv(Settlement settlement, Func<string, string> text)
    {
        var lines = new List<string>
        {
            Platform.Files.Csv.Row([text("Partner.SettlementItem"), text("Partner.SettlementUnitPoints"), text("Partner.SettlementCount"), text("Partner.SettlementTotal")]),
        };
        lines.AddRange(settlement.Lines.Select(l => Platform.Files.Csv.Row([l.ItemName, Number(l.UnitPoints), Number(l.Count), Number(l.TotalPoints)])));
        lines.Add(Platform.Files.Csv.Row([text("Partner.SettlementSum"), "", Number(settlement.Count), Number(settlement.TotalPoints)]));
        return string.Join("\r\n", lines) + "\r\n";
    }

    public static byte[] Xlsx(Settlement settlement, Func<string, string> text)
    {
        string[] header = [text("Partner.SettlementItem"), text("Partner.SettlementUnitPoints"), text("Partner.SettlementCount"), text("Partner.SettlementTotal")];
        var rows = settlement.Lines.Select(l => (IReadOnlyList<object?>)[l.ItemName, l.UnitPoints, l.Count, l.TotalPoints])
            .Append([text("Partner.SettlementSum"), null, settlement.Count, settlement.TotalPoints]);
        return Platform.Files.Xlsx.Write($"{text("Partner.Settlement")} {settlement.Period}", header, rows);
    }

    private (DateTime From, DateTime To) Period(int year, int month)
    {
        if (year < EarliestYear || year > 9998 || month is < 1 or > 12)
        {
            throw new DomainException(ErrorCodes.Partner.PeriodInvalid);
        }

        var first = new DateTime(year, month, 1);
        return (time.ToUtc(first), time.ToUtc(first.AddMonths(1)));
    }

    private static int RequirePartner(ClaimsPrincipal user) =>
        user.IsInRole(Roles.Partner) ? user.RequiredUserId() : throw new AccessDeniedException();

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
