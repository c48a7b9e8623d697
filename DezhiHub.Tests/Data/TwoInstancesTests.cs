using System.Net;
using System.Net.Http.Headers;
using DezhiHub.Tests.Infrastructure;
using DezhiHub.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DezhiHub.Tests.Data;

/// <summary>
/// Two instances of the app on one PostgreSQL database and one files folder (issue 13), as behind a load balancer: a
/// sign-in made on one is good on the other, a form one rendered posts to the other, and a picture uploaded through one
/// is served by the other.
/// </summary>
public sealed class TwoInstancesTests
{
    [SkippableFact]
    public async Task ASignIn_AForm_AndAPicture_FromOneInstance_WorkOnTheOther()
    {
        TestPostgres.Require();
        var database = await TestPostgres.CreateFromTemplateAsync("empty", FeatureHost.BuildEmptyTemplateAsync);
        var files = TempFolder.Create("shared-files");
        var settings = new Dictionary<string, string> { ["DezhiHub:FilesPath"] = files };
        try
        {
            using var first = new AppFactory(10_000, settings: settings, sharedPostgres: database);
            using var second = new AppFactory(10_000, settings: settings, sharedPostgres: database);
            int activity;
            await using (var db = await first.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
            {
                var hongxing = await db.OrgNodes.Where(n => n.Name == "红星社区").Select(n => n.Path).SingleAsync();
                activity = await db.Activities.Where(a => a.OrgPath.StartsWith(hongxing)).Select(a => a.Id).FirstAsync();
            }

            // Cookies are per host, not per port: one browser, two instances, as behind one proxy.
            using var browser = first.NewClient();
            Assert.True(await browser.SignInAsync(Demo.OrganizerHongxing));
            using (var profile = await browser.Http.GetAsync(new Uri(second.BaseAddress, "/account/profile")))
            {
                Assert.True(profile.StatusCode == HttpStatusCode.OK, $"{profile.StatusCode}: {string.Join("\n", second.Logs.Since(0).Select(l => $"{l.Category} {l.Message} {l.Exception}"))}");
                // Not sent to the sign-in page: the profile form, filled for this person.
                Assert.Contains("id=\"realName\"", await profile.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            // The antiforgery token of a page the first rendered, posted with a picture to the second.
            var page = await browser.GetStringAsync("/account/profile");
            var token = AppClient.HiddenFields(page).First(f => f.Key == "__RequestVerificationToken").Value;
            using var form = new MultipartFormDataContent
            {
                { new StringContent(token), "__RequestVerificationToken" },
            };
            var file = new ByteArrayContent(TestImages.JpegWithExif(800, 600, orientation: 1));
            file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            form.Add(file, "file", "封面.jpg");
            using (var upload = await browser.Http.PostAsync(new Uri(second.BaseAddress, $"/activities/{activity}/cover"), form))
            {
                Assert.Equal(HttpStatusCode.NoContent, upload.StatusCode);
            }

            using var cover = await first.NewClient().GetAsync($"/activities/{activity}/cover");
            Assert.Equal(HttpStatusCode.OK, cover.StatusCode);
            Assert.Equal(800, TestImages.Inspect(await cover.Content.ReadAsByteArrayAsync()).Width);
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(database);
            TempFolder.Delete(files);
        }
    }
}
