using DezhiHub.Domain.Market;
using DezhiHub.Domain;
using DezhiHub.Web.Platform.Localization;

namespace DezhiHub.Web.Features.Market;

/// <summary>
/// What the reward item form edits, in the manager's terms: local dates (the last day inclusive), empty numbers while
/// typing. <see cref="Validate"/> asks the domain's rules (<see cref="RewardItemDetails.Validate"/>), keyed by field.
/// </summary>
public sealed class RewardFormModel
{
    public const string OrgField = nameof(RewardItemDetails.OrgNodeId);
    public const string PictureField = "Picture";

    public string Name { get; set; } = "";

    public string Description { get; set; } = "";

    public int? OrgNodeId { get; set; }

    /// <summary>The Partner providing the item; null when the community does.</summary>
    public int? PartnerUserId { get; set; }

    public int? PointsCost { get; set; }

    public int? Stock { get; set; }

    public int? PerPersonLimit { get; set; }

    /// <summary>First day on offer (local); null for "from now".</summary>
    public DateTime? ValidFrom { get; set; }

    /// <summary>Last day on offer (local, inclusive); null for "until taken off".</summary>
    public DateTime? ValidUntil { get; set; }

    public static RewardFormModel From(RewardItemDetails details, DisplayTime time) => new()
    {
        Name = details.Name,
        Description = details.Description,
        OrgNodeId = details.OrgNodeId,
        PartnerUserId = details.PartnerUserId,
        PointsCost = details.PointsCost,
        Stock = details.Stock,
        PerPersonLimit = details.PerPersonLimit,
        ValidFrom = details.ValidFromUtc is { } from ? time.ToLocal(from).Date : null,
        ValidUntil = details.ValidUntilUtc is { } until ? MarketText.LastDay(time, until) : null,
    };

    public RewardItemDetails ToDetails(DisplayTime time) => new()
    {
        Name = Name ?? "",
        Description = Description ?? "",
        OrgNodeId = OrgNodeId ?? 0,
        PartnerUserId = PartnerUserId,
        PointsCost = PointsCost ?? 0,
        Stock = Stock ?? -1,
        PerPersonLimit = PerPersonLimit,
        ValidFromUtc = ValidFrom is { } from ? time.ToUtc(from.Date) : null,
        ValidUntilUtc = ValidUntil is { } until ? time.ToUtc(until.Date.AddDays(1)) : null,
    };

    /// <summary>Field → (message code, arguments); empty when the form may be saved.</summary>
    public Dictionary<string, (string Code, object[] Args)> Validate(DisplayTime time)
    {
        var errors = ToDetails(time).Validate().GroupBy(e => e.Field).ToDictionary(g => g.Key, g => (g.First().Code, Array.Empty<object>()));
        if (OrgNodeId is null)
        {
            errors[OrgField] = (ErrorCodes.Reward.OrgRequired, []);
        }

        return errors;
    }

    /// <summary>The form field a service refusal belongs to, if any.</summary>
    public static string? FieldOfCode(string code) => code switch
    {
        ErrorCodes.Reward.OrgRequired => OrgField,
        ErrorCodes.Reward.PartnerInvalid => nameof(RewardItemDetails.PartnerUserId),
        ErrorCodes.Reward.StockChanged => nameof(RewardItemDetails.Stock),
        ErrorCodes.Reward.PictureTooLarge or ErrorCodes.Reward.PictureWrongType or ErrorCodes.Reward.PictureTooManyPixels => PictureField,
        _ => null,
    };
}
