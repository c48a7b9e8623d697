using System.Net;
using Microsoft.Extensions.Options;

namespace DezhiHub.Web.Platform.Http;

/// <summary>
/// The address phones use to reach this app, for everything that leaves the screen: QR codes (check-in screen,
/// volunteer cards, vouchers, certificates) and links handed out (calendar feeds). <c>DezhiHub:PublicBaseUrl</c> when
/// set (behind a proxy, or a laptop at a venue whose QR must carry its LAN address); otherwise the address this page
/// was opened with — which, on <c>localhost</c>, no phone can open (<see cref="OnlyThisMachine"/>).
/// </summary>
public sealed class PublicBaseUrl(IOptions<DezhiHubOptions> options)
{
    private readonly Uri? _configured = Parse(options.Value.PublicBaseUrl);

    /// <summary>The base ("https://host/") for a URL to hand out, given the one this request or page came in on.</summary>
    public string For(string requestBaseUri) => (_configured ?? new Uri(requestBaseUri)).AbsoluteUri;

    /// <summary>True when a code made with this base can only be opened on this machine (localhost, 127.x, ::1).</summary>
    public bool OnlyThisMachine(string requestBaseUri)
    {
        var host = new Uri(For(requestBaseUri)).Host;
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
    }

    /// <summary>The configured URL made to end in "/"; null when not set. Its form is validated at start (AddDezhiHub).</summary>
    private static Uri? Parse(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : new Uri(value.EndsWith('/') ? value : value + "/", UriKind.Absolute);
}
