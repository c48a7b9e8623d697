namespace DezhiHub.Tests.Infrastructure;

/// <summary>The demo accounts every demo-seeded database has (see DemoDataSeeder).</summary>
public static class Demo
{
    public const string Password = DezhiHub.Web.Data.DemoDataSeeder.DemoPassword;
    public const string Admin = "13800000001";
    public const string OrganizerHongxing = "13800000002";
    public const string OrganizerHeping = "13800000003";
    public const string Volunteer = "13800000004";
    public const string Partner = "13800000005";
    public const string Resident = "13800000006";
}
