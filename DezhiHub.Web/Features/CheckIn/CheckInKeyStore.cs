using System.Security.Cryptography;
using DezhiHub.Web.Data;

namespace DezhiHub.Web.Features.CheckIn;

/// <summary>
/// The deployment's secret for signing check-in codes: from configuration (DezhiHub:CheckIn:SigningKey, base64, at
/// least 32 bytes) or, failing that, generated once and kept in &lt;DataPath&gt;/keys/checkin.key (owner-only file
/// permissions). Never in the repository.
/// </summary>
public sealed class CheckInKeyStore
{
    public const int KeyBytes = 32;
    public const string ConfigurationKey = "DezhiHub:CheckIn:SigningKey";

    private readonly Lazy<byte[]> _key;

    public CheckInKeyStore(IConfiguration configuration, IServiceProvider services)
    {
        // The data folder is only consulted when no key is configured.
        _key = new Lazy<byte[]>(() => configuration[ConfigurationKey] is { Length: > 0 } configured
            ? Load(configured, "")
            : Load(null, Path.Combine(DataServiceCollectionExtensions.ResolveDataPath(services), "keys", "checkin.key")));
    }

    public ReadOnlySpan<byte> Key => _key.Value;

    internal static byte[] Load(string? configured, string file)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var bytes = Convert.FromBase64String(configured);
            return bytes.Length >= KeyBytes ? bytes : throw new InvalidOperationException($"{ConfigurationKey} must hold at least {KeyBytes} bytes (base64).");
        }

        if (File.Exists(file))
        {
            var stored = File.ReadAllBytes(file);
            if (stored.Length >= KeyBytes)
            {
                return stored;
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var key = RandomNumberGenerator.GetBytes(KeyBytes);
        var temporary = file + ".tmp";
        File.WriteAllBytes(temporary, key);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        // Two instances starting at once: the first file to land wins, and both use it.
        try
        {
            File.Move(temporary, file, overwrite: false);
        }
        catch (IOException)
        {
            File.Delete(temporary);
        }

        return File.ReadAllBytes(file);
    }
}
