using DezhiHub.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Platform.Signing;

/// <summary>
/// The deployment's secret for signing QR codes (check-in, volunteer cards, vouchers, certificates): from configuration
/// (DezhiHub:CheckIn:SigningKey, base64, at least 32 bytes) or, failing that, the one kept in the database, made by
/// the first start (<see cref="SharedKeys"/>) and shared by every instance. Never in the repository.
/// </summary>
public sealed class CheckInKeyStore
{
    public const int KeyBytes = SharedKeys.SigningKeyBytes;
    public const string ConfigurationKey = "DezhiHub:CheckIn:SigningKey";

    private readonly Lazy<byte[]> _key;

    public CheckInKeyStore(IConfiguration configuration, IServiceProvider services)
    {
        // The database is only consulted when no key is configured.
        _key = new Lazy<byte[]>(() => configuration[ConfigurationKey] is { Length: > 0 } configured
            ? FromConfiguration(configured)
            : SharedKeys.SigningKeyValue(services.GetRequiredService<IDbContextFactory<AppDbContext>>(), SigningKey.QrCodes)
                ?? throw new InvalidOperationException("The database holds no QR signing key yet: the app makes it at start (InitializeDatabaseAsync)."));
    }

    public ReadOnlySpan<byte> Key => _key.Value;

    internal static byte[] FromConfiguration(string configured)
    {
        var bytes = Convert.FromBase64String(configured);
        return bytes.Length >= KeyBytes ? bytes : throw new InvalidOperationException($"{ConfigurationKey} must hold at least {KeyBytes} bytes (base64).");
    }
}
