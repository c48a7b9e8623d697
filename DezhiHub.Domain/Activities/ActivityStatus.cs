namespace DezhiHub.Domain.Activities;

/// <summary>Draft → Published → Completed, or Cancelled.</summary>
public enum ActivityStatus
{
    Draft = 0,
    Published = 1,
    Completed = 2,
    Cancelled = 3,
}
