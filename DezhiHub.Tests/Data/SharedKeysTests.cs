using System.Xml.Linq;
using DezhiHub.Domain.Activities;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Data;
using DezhiHub.Web.Features.CheckIn;
using DezhiHub.Web.Platform.Signing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DezhiHub.Tests.Data;

/// <summary>
/// The keys every instance shares live in the database (issue 13): what one instance protected (a sign-in cookie, an
/// antiforgery token) another reads, both sign QR codes with one key, instances starting at once make one key ring,
/// and a deployment upgraded from file-kept keys keeps its sign-ins and printed codes.
/// </summary>
public sealed class SharedKeysTests
{
    [SkippableFact]
    public async Task InstancesStartingAtOnce_MakeOneKeyRingAndOneSigningKey_AndEachReadsWhatAnotherProtected()
    {
        TestPostgres.Require();
        await using var first = FeatureHost.OnPostgres(await TestPostgres.CreateDatabaseAsync());
        var others = Enumerable.Range(0, 3).Select(_ => first.AnotherInstance()).ToList();
        try
        {
            var instances = others.Prepend(first).ToList();
            await Task.WhenAll(instances.Select(i => Task.Run(() => i.Services.InitializeDatabaseAsync())));

            await using (var db = first.NewDb())
            {
                Assert.Equal(1, await db.DataProtectionKeys.CountAsync());
                Assert.Equal(1, await db.SigningKeys.CountAsync());
                Assert.Equal(await db.Roles.Select(r => r.Name).Distinct().CountAsync(), await db.Roles.CountAsync());
            }

            var cookie = first.Get<IDataProtectionProvider>().CreateProtector("cookie").Protect("王小红 signed in");
            Assert.All(instances, i => Assert.Equal("王小红 signed in", i.Get<IDataProtectionProvider>().CreateProtector("cookie").Unprotect(cookie)));
            var token = new CheckInTokens(first.Get<CheckInKeyStore>(), first.Clock).Issue(7, CheckInPurpose.CheckIn);
            Assert.All(instances, i => Assert.Equal(TokenCheck.Valid, new CheckInTokens(i.Get<CheckInKeyStore>(), i.Clock).Verify(token, out _, out _)));
        }
        finally
        {
            foreach (var other in others)
            {
                await other.DisposeAsync();
            }
        }
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSQL)]
    public async Task ADeploymentUpgradedFromFileKeptKeys_KeepsItsSignInsAndItsQrKey(DatabaseProvider engine)
    {
        await using var host = await FeatureHost.CreateAsync(demoData: false, engine);
        await using (var db = host.NewDb())
        {
            // The database as before the keys moved into it.
            await db.DataProtectionKeys.ExecuteDeleteAsync();
            await db.SigningKeys.ExecuteDeleteAsync();
        }

        // What the earlier version left in the data folder: its key ring and its check-in key.
        var folder = Directory.CreateDirectory(Path.Combine(host.DataPath, SharedKeys.LegacyFolder));
        var cookie = DataProtectionProvider.Create(folder, b => b.SetApplicationName("DezhiHub")).CreateProtector("cookie").Protect("李四 signed in");
        var qrKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        await File.WriteAllBytesAsync(Path.Combine(folder.FullName, "checkin.key"), qrKey);

        await using var upgraded = host.AnotherInstance();
        await upgraded.Services.InitializeDatabaseAsync();
        await upgraded.Services.InitializeDatabaseAsync(); // a second start copies nothing again

        Assert.Equal("李四 signed in", upgraded.Get<IDataProtectionProvider>().CreateProtector("cookie").Unprotect(cookie));
        Assert.Equal(qrKey, upgraded.Get<CheckInKeyStore>().Key.ToArray());
        await using var check = host.NewDb();
        var stored = await check.DataProtectionKeys.SingleAsync();
        Assert.Equal(XElement.Load(Directory.GetFiles(folder.FullName, "key-*.xml").Single()).ToString(SaveOptions.DisableFormatting), stored.Xml);
    }
}
