namespace DezhiHub.Web.Features.Market;

/// <summary>The "DezhiHub:Market" configuration section.</summary>
public sealed class MarketOptions
{
    public const string Section = "DezhiHub:Market";

    /// <summary>A redemption not handed over within this many days expires, and its points and stock come back.</summary>
    public int VoucherValidDays { get; set; } = 30;

    /// <summary>How often the expiry sweep runs.</summary>
    public TimeSpan ExpirySweepInterval { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan VoucherValidFor => TimeSpan.FromDays(VoucherValidDays);
}
