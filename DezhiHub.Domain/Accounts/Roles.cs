namespace DezhiHub.Domain.Accounts;

/// <summary>Role names. Every account is a resident; these are added on top.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string Organizer = "Organizer";
    public const string Volunteer = "Volunteer";
    public const string Partner = "Partner";

    public static readonly IReadOnlyList<string> All = [Admin, Organizer, Volunteer, Partner];
}
