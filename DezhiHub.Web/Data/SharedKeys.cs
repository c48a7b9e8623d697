using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;

namespace DezhiHub.Web.Data;

/// <summary>A data-protection key (cookies, antiforgery tokens) as ASP.NET Core writes it: its XML element, verbatim.</summary>
public sealed class DataProtectionKey
{
    public int Id { get; set; }

    public string? FriendlyName { get; set; }

    public string Xml { get; set; } = "";
}

/// <summary>A secret every instance signs with (the QR codes' key), made once per deployment and kept in the database.</summary>
public sealed class SigningKey
{
    public const int NameMaxLength = 64;

    /// <summary>The key QR codes are signed with (check-in, cards, vouchers, certificates).</summary>
    public const string QrCodes = "qr-codes";

    public string Name { get; set; } = "";

    public byte[] Value { get; set; } = [];

    public DateTime CreatedAtUtc { get; set; }
}

/// <summary>
/// The keys every instance of a deployment must share, in the database rather than in one instance's data folder: the
/// data-protection key ring (a cookie or form made by one instance is read by another) and the QR signing key. At start,
/// under the startup lock, a deployment upgraded from the file-kept keys has them copied in once, and the first instance
/// creates what is missing; the others then read the same rows. See docs/decisions/0016-several-instances.md.
/// </summary>
public static class SharedKeys
{
    public const int SigningKeyBytes = 32;

    /// <summary>The folder under the data path where keys were kept before they moved to the database.</summary>
    public const string LegacyFolder = "keys";

    /// <summary>
    /// Copies file-kept keys into an empty table (a deployment upgraded from before), then makes sure a data-protection
    /// key and the QR signing key exist. Call under <see cref="LockSql.StartupAsync"/>.
    /// </summary>
    public static async Task EnsureAsync(IServiceProvider services, ILogger logger, CancellationToken cancellationToken)
    {
        var factory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        var legacy = Path.Combine(DataServiceCollectionExtensions.ResolveDataPath(services), LegacyFolder);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            if (!await db.DataProtectionKeys.AnyAsync(cancellationToken) && Directory.Exists(legacy))
            {
                var files = Directory.GetFiles(legacy, "key-*.xml").Order(StringComparer.Ordinal).ToList();
                foreach (var file in files)
                {
                    db.DataProtectionKeys.Add(new DataProtectionKey
                    {
                        FriendlyName = Path.GetFileNameWithoutExtension(file),
                        Xml = XElement.Load(file).ToString(SaveOptions.DisableFormatting),
                    });
                }

                await db.SaveChangesAsync(cancellationToken);
                if (files.Count > 0)
                {
                    logger.LogInformation("Copied {Count} data-protection keys from {Folder} into the database; the folder is no longer read.", files.Count, legacy);
                }
            }

            if (!await db.SigningKeys.AnyAsync(k => k.Name == SigningKey.QrCodes, cancellationToken))
            {
                var file = Path.Combine(legacy, "checkin.key");
                var kept = File.Exists(file) ? await File.ReadAllBytesAsync(file, cancellationToken) : [];
                db.SigningKeys.Add(new SigningKey
                {
                    Name = SigningKey.QrCodes,
                    Value = kept.Length >= SigningKeyBytes ? kept : RandomNumberGenerator.GetBytes(SigningKeyBytes),
                    CreatedAtUtc = now,
                });
                await db.SaveChangesAsync(cancellationToken);
                if (kept.Length >= SigningKeyBytes)
                {
                    logger.LogInformation("Copied the QR signing key from {File} into the database; the file is no longer read.", file);
                }
            }
        }

        // Resolving the key ring makes its first key when there is none, while this instance holds the startup lock.
        services.GetRequiredService<IDataProtectionProvider>().CreateProtector("DezhiHub.Startup").Protect([1]);
    }

    /// <summary>The named signing key; null when the database has none (before the first start).</summary>
    public static byte[]? SigningKeyValue(IDbContextFactory<AppDbContext> factory, string name)
    {
        using var db = factory.CreateDbContext();
        return db.SigningKeys.AsNoTracking().Where(k => k.Name == name).Select(k => k.Value).FirstOrDefault();
    }

    /// <summary>The data-protection key ring in the database, read by every instance.</summary>
    internal sealed class Repository(IDbContextFactory<AppDbContext> factory) : IXmlRepository
    {
        public IReadOnlyCollection<XElement> GetAllElements()
        {
            using var db = factory.CreateDbContext();
            return [.. db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).AsEnumerable().Select(XElement.Parse)];
        }

        public void StoreElement(XElement element, string friendlyName)
        {
            using var db = factory.CreateDbContext();
            db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
            db.SaveChanges();
        }
    }
}
