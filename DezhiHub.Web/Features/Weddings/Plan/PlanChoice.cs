using DezhiHub.Domain.Weddings;

namespace DezhiHub.Web.Features.Weddings.Plan;

/// <summary>One part of the plan as the resident chose it: a slot of a service, with what the summary shows.</summary>
public sealed record PlanChoice(WeddingServiceKind Kind, int ResourceId, string ResourceName, DateTime StartUtc, DateTime EndUtc)
{
    public PlanPart ToPart() => new(ResourceId, StartUtc);
}
