using Microsoft.Playwright;

namespace DezhiHub.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium driven by Playwright (its own browser download cannot work here). When no Chromium is
/// installed the end-to-end tests are skipped with the reason — unless DEZHIHUB_E2E=required, where they fail.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    public static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    private IPlaywright? _playwright;

    public IBrowser? Instance { get; private set; }

    public string? MissingReason { get; private set; }

    public static bool Required => Environment.GetEnvironmentVariable("DEZHIHUB_E2E") == "required";

    public async Task InitializeAsync()
    {
        var executable = Environment.GetEnvironmentVariable("DEZHIHUB_CHROMIUM") is { Length: > 0 } configured
            ? configured
            : Candidates.FirstOrDefault(File.Exists);
        if (executable is null || !File.Exists(executable))
        {
            MissingReason = $"No Chromium found at {string.Join(", ", Candidates)} (apt-get install -y chromium).";
            return;
        }

        _playwright = await Playwright.CreateAsync();
        Instance = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>Skips the calling test when there is no browser, or fails it when the browser tier is required.</summary>
    public IBrowser Require()
    {
        if (Instance is not null)
        {
            return Instance;
        }

        if (Required)
        {
            throw new InvalidOperationException("DEZHIHUB_E2E=required but " + MissingReason);
        }

        Skip.If(true, MissingReason);
        throw new InvalidOperationException("unreachable");
    }

    public async Task DisposeAsync()
    {
        if (Instance is not null)
        {
            await Instance.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
