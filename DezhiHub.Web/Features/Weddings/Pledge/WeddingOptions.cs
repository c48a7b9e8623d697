namespace DezhiHub.Web.Features.Weddings;

/// <summary>The "DezhiHub:Weddings" configuration section.</summary>
public sealed class WeddingOptions
{
    public const string Section = "DezhiHub:Weddings";

    /// <summary>Points each partner receives, once ever, when an organizer verifies a kept civilized-wedding pledge.</summary>
    public int PledgePoints { get; set; } = 100;

    /// <summary>Whether the values are usable; checked at start.</summary>
    public bool PledgePointsValid => PledgePoints is >= 1 and <= 100_000;
}
