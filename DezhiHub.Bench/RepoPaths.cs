using System.Reflection;
using System.Runtime.InteropServices;

namespace DezhiHub.Bench;

/// <summary>Locates the repository, the build configuration of this tool and the built web app.</summary>
internal static class RepoPaths
{
    private const string SolutionFile = "DezhiHub.sln";

    /// <summary>Configuration this tool was built in (from the csproj's AssemblyMetadata item).</summary>
    public static string Configuration { get; } =
        typeof(RepoPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "Configuration")?.Value
        ?? "Release";

    /// <summary>The folder holding DezhiHub.sln, found by walking up from the tool's output folder.</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
            {
                return dir.FullName;
            }
        }

        throw new BenchException($"Could not find {SolutionFile} above {AppContext.BaseDirectory}.");
    }

    /// <summary>DezhiHub.Web/bin/&lt;Configuration&gt;/net10.0/DezhiHub.Web.dll under the repo root.</summary>
    public static string WebAppDll() =>
        Path.Combine(RepoRoot(), "DezhiHub.Web", "bin", Configuration, "net10.0", "DezhiHub.Web.dll");

    /// <summary>The dotnet host of the runtime running this tool, or plain "dotnet" from PATH.</summary>
    public static string DotnetHost()
    {
        // The runtime directory is <dotnet root>/shared/Microsoft.NETCore.App/<version>/.
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var host = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(host) ? host : "dotnet";
    }
}
