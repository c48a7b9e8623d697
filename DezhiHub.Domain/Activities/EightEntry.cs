namespace DezhiHub.Domain.Activities;

/// <summary>红色文化"八进": the eight kinds of places red-culture activities are carried into.</summary>
public enum EightEntry
{
    Agencies = 0,
    PartySchools = 1,
    Enterprises = 2,
    Campuses = 3,
    Villages = 4,
    Communities = 5,
    Families = 6,
    GridCells = 7,
}
