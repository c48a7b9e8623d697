using DezhiHub.Web.Platform.Http;

namespace DezhiHub.Web;

/// <summary>The "DezhiHub" configuration section.</summary>
public sealed class DezhiHubOptions
{
    public const string Section = "DezhiHub";

    /// <summary>Folder for the SQLite database and uploaded files; relative paths are under the content root.</summary>
    public string DataPath { get; set; } = "data";

    /// <summary>
    /// Folder for uploaded pictures (covers, reward pictures, wedding photos). Several instances must all mount the same
    /// folder here (a network share); unset: the data folder. Relative paths are under the content root.
    /// </summary>
    public string? FilesPath { get; set; }

    /// <summary>IANA id of the deployment's zone; times are stored in UTC and shown in this zone.</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>Seed the demo city and demo accounts into an empty database. Unset: only in Development.</summary>
    public bool? SeedDemoData { get; set; }

    /// <summary>Anonymous form posts (sign-in, register) one client address may make per minute.</summary>
    public int AnonymousPostsPerMinute { get; set; } = 30;

    /// <summary>
    /// The address phones reach this app at (https://dezhi.example.gov.cn/), used in every QR code and handed-out link.
    /// Unset: the address each page was opened with.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>
    /// The reverse proxies (addresses such as 10.0.0.5, or networks such as 10.0.0.0/24) whose X-Forwarded-For and
    /// X-Forwarded-Proto are believed: behind them, rate limits, logs and links see the client's address and scheme.
    /// Empty (the default): no forwarded header is believed, from anyone.
    /// </summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>How many times an hour one client address is told "this number is already registered" (decision 0011).</summary>
    public int DuplicateNumberAnswersPerHour { get; set; } = 10;
}
