using Microsoft.AspNetCore.Identity;

namespace DezhiHub.Web.Platform.Identity;

/// <summary>An account. Every account is a resident; roles add Admin/Organizer/Volunteer/Partner.
/// <see cref="IdentityUser{TKey}.UserName"/> and <see cref="IdentityUser{TKey}.PhoneNumber"/> both hold the normalized mobile number.</summary>
public sealed class AppUser : IdentityUser<int>
{
    public const int RealNameMaxLength = 32;

    [PersonalData]
    public string RealName { get; set; } = "";

    /// <summary>The org node (usually a community or grid cell) the person belongs to.</summary>
    public int? OrgNodeId { get; set; }

    public DateTime CreatedAtUtc { get; set; }

    /// <summary>Secret of the personal calendar feed URL (regenerable); null until the person asks for a feed.</summary>
    public string? CalendarFeedToken { get; set; }

    /// <summary>Version of the person's volunteer card; reissuing the card raises it, which voids every older card.</summary>
    public int CardVersion { get; set; } = 1;
}
