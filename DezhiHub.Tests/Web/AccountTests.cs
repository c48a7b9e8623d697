using System.Net;
using System.Text.RegularExpressions;
using DezhiHub.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DezhiHub.Tests.Web;

/// <summary>Sign-in, registration and their protections, through the real forms on the real port.</summary>
[Collection(WebCollection.Name)]
public sealed class AccountTests(AppFactory app)
{
    [Fact]
    public async Task SignIn_WithTheRightPassword_SetsAnHttpOnlyLaxCookie()
    {
        using var client = app.NewClient();
        using var response = await client.SubmitFormAsync("/account/login", new Dictionary<string, string>
        {
            ["Input.Phone"] = "138 0000 0001", // typed with spaces: still the same number
            ["Input.Password"] = Demo.Password,
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var setCookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("dezhihub.auth=", StringComparison.Ordinal));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("王建国", await client.GetStringAsync("/"));
    }

    [Fact]
    public async Task SignIn_WithAWrongPassword_SaysSoInChinese_AndSetsNoCookie()
    {
        using var client = app.NewClient();
        using var response = await client.SubmitFormAsync("/account/login", new Dictionary<string, string>
        {
            ["Input.Phone"] = Demo.Partner,
            ["Input.Password"] = "not the password",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("手机号或密码不正确", await response.Content.ReadAsStringAsync());
        Assert.False(client.HasAuthCookie);
    }

    [Fact]
    public async Task SignIn_InEnglish_WhenEnglishWasChosen()
    {
        using var client = app.NewClient(culture: "en-US");
        using var response = await client.SubmitFormAsync("/account/login", new Dictionary<string, string>
        {
            ["Input.Phone"] = "12345",
            ["Input.Password"] = "whatever",
        });
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Enter a valid 11-digit mobile number", html);
        Assert.Contains("lang=\"en-US\"", html);
    }

    [Fact]
    public async Task APostWithoutTheAntiforgeryToken_IsNotProcessed_AndThePageSaysItExpired()
    {
        using var client = app.NewClient();
        using var response = await client.SubmitFormAsync("/account/login?returnUrl=%2Fnotifications", new Dictionary<string, string>
        {
            ["Input.Phone"] = Demo.Admin,
            ["Input.Password"] = Demo.Password,
        }, includeAntiforgery: false);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/account/login?returnUrl=%2Fnotifications", response.Headers.Location!.OriginalString);
        Assert.False(client.HasAuthCookie);
        var page = await client.GetStringAsync(response.Headers.Location.OriginalString);
        Assert.Contains("页面已过期", page);
        Assert.DoesNotContain("页面已过期", await client.GetStringAsync("/account/login")); // said once
    }

    [Fact]
    public async Task AFormTooLargeToRead_GoesBackToItsPage_AndThePageSaysItWasTooLarge()
    {
        // A 5 MB field breaks the form reader's value limit before the antiforgery token is reached.
        using var client = app.NewClient();
        using var response = await client.SubmitFormAsync("/account/login?returnUrl=%2Fnotifications", new Dictionary<string, string>
        {
            ["Input.Phone"] = Demo.Admin,
            ["Input.Password"] = new string('x', 5 * 1024 * 1024),
        });

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/account/login?returnUrl=%2Fnotifications", response.Headers.Location!.OriginalString);
        Assert.False(client.HasAuthCookie);
        var page = await client.GetStringAsync(response.Headers.Location.OriginalString);
        Assert.Contains("提交的内容太大，未能保存", page);
        Assert.DoesNotContain("页面已过期", page);
    }

    [Fact]
    public async Task AFailedSignIn_NeverSendsThePasswordBack()
    {
        using var client = app.NewClient();
        using var response = await client.SubmitFormAsync("/account/login", new Dictionary<string, string>
        {
            ["Input.Phone"] = Demo.Partner,
            ["Input.Password"] = "a-distinctive-wrong-password",
        });
        Assert.DoesNotContain("a-distinctive-wrong-password", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task FiveWrongPasswords_LockTheAccount_EvenAgainstTheRightOne()
    {
        using var client = app.NewClient();
        const string phone = "13700000077";
        Assert.True(await RegisterAsync(client, phone, "锁定测试", "correct horse battery"));
        using var fresh = app.NewClient();
        for (var i = 0; i < 5; i++)
        {
            Assert.False(await fresh.SignInAsync(phone, "wrong password " + i));
        }

        using var response = await fresh.SubmitFormAsync("/account/login", new Dictionary<string, string>
        {
            ["Input.Phone"] = phone,
            ["Input.Password"] = "correct horse battery",
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/lockout", new Uri(app.BaseAddress, response.Headers.Location!).AbsolutePath);
        Assert.False(fresh.HasAuthCookie);
        Assert.Contains("锁定 15 分钟", await fresh.GetStringAsync("/account/lockout"));
    }

    [Fact]
    public async Task Register_RefusesBadInput_WithClearMessages_AndCreatesNothing()
    {
        using var client = app.NewClient();
        var before = await CountUsersAsync();
        using var response = await client.SubmitFormAsync("/account/register", new Dictionary<string, string>
        {
            ["Input.Phone"] = "1234",
            ["Input.RealName"] = "",
            ["Input.Password"] = "12345678",
            ["Input.ConfirmPassword"] = "87654321",
            ["Input.OrgNodeId"] = "999999",
        });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("请输入正确的 11 位手机号", html);
        Assert.Contains("请填写姓名", html);
        Assert.Contains("两次输入的密码不一致", html);
        Assert.Contains("请选择一个有效的社区或网格", html);
        Assert.Equal(before, await CountUsersAsync());
    }

    [Theory]
    [InlineData("zh-CN", "请输入正确的 11 位手机号", "请填写姓名", "请设置密码。")]
    [InlineData("en-US", "Enter a valid 11-digit mobile number", "Enter your name", "Choose a password.")]
    public async Task Register_AnEmptyForm_ShowsEachRequiredFieldsError_BesideIt_IncludingThePassword(string culture, string phone, string name, string password)
    {
        using var client = app.NewClient(culture);
        var before = await CountUsersAsync();

        using var response = await client.SubmitFormAsync("/account/register", new Dictionary<string, string>
        {
            ["Input.Phone"] = "",
            ["Input.RealName"] = "",
            ["Input.Password"] = "",
            ["Input.ConfirmPassword"] = "",
        });
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches($"id=\"phone\"[^>]*>\\s*<div class=\"dz-error[^\"]*\">{Regex.Escape(phone)}", html);
        Assert.Matches($"id=\"realName\"[^>]*>\\s*<div class=\"dz-error[^\"]*\">{Regex.Escape(name)}", html);
        Assert.Matches($"id=\"password\"[^>]*>\\s*<div class=\"dz-error[^\"]*\">{Regex.Escape(password)}", html);
        Assert.Equal(before, await CountUsersAsync());
    }

    [Fact]
    public async Task Register_AShortPassword_IsNamedBesideThePassword_TogetherWithTheOtherFieldsErrors()
    {
        using var client = app.NewClient();

        using var response = await client.SubmitFormAsync("/account/register", new Dictionary<string, string>
        {
            ["Input.Phone"] = "",
            ["Input.RealName"] = "短密码",
            ["Input.Password"] = "abc",
            ["Input.ConfirmPassword"] = "abc",
        });
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Contains("请输入正确的 11 位手机号", html);
        Assert.Matches("id=\"password\"[^>]*>\\s*<div class=\"dz-error[^\"]*\">密码至少", html);
    }

    [Fact]
    public async Task Register_RefusesANameWithARightToLeftOverride_AndKeepsANameWithoutItsZeroWidthSpaces()
    {
        using var client = app.NewClient();
        var before = await CountUsersAsync();

        using (var response = await client.SubmitFormAsync("/account/register", Fields("13700000083", "\u202E国建王", "override passphrase")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("含有改变文字方向的隐藏控制字符", await response.Content.ReadAsStringAsync());
            Assert.Equal(before, await CountUsersAsync());
        }

        Assert.True(await RegisterAsync(client, "13700000084", "王\u200B建\u200D国\uFEFF", "zero width passphrase"));
        Assert.Equal("王建国", await Read(db => db.Users.Where(u => u.PhoneNumber == "13700000084").Select(u => u.RealName).SingleAsync()));
    }

    [Fact]
    public async Task Register_RefusesACommonPassword()
    {
        using var client = app.NewClient();
        using var response = await client.SubmitFormAsync("/account/register", Fields("13700000078", "常见密码", "password"));
        Assert.Contains("这个密码太常见", await response.Content.ReadAsStringAsync());
        Assert.False(client.HasAuthCookie);
    }

    [Fact]
    public async Task Register_AcceptsALongPassphrase_SignsIn_AndWelcomes()
    {
        using var client = app.NewClient();
        var passphrase = "我家住在太行山下 the quick brown fox jumps over the lazy dog 1949";
        Assert.True(await RegisterAsync(client, "+86 137 0000 0079", "新居民", passphrase));

        var home = await client.GetStringAsync("/");
        Assert.Contains("新居民", home);
        using var again = app.NewClient();
        Assert.True(await again.SignInAsync("13700000079", passphrase));
    }

    [Fact]
    public async Task TwentyParallelRegistrationsOfOneNumber_MakeExactlyOneAccount()
    {
        const string phone = "13700000080";
        var clients = Enumerable.Range(0, 20).Select(_ => app.NewClient()).ToList();
        var mark = app.Logs.Mark;
        try
        {
            var results = await Task.WhenAll(clients.Select(async (c, i) =>
            {
                using var response = await c.SubmitFormAsync("/account/register", Fields(phone, $"并发{i}", "parallel passphrase"));
                return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
            }));

            Assert.DoesNotContain(results, r => (int)r.StatusCode >= 500);
            Assert.Single(results, r => r.StatusCode == HttpStatusCode.Redirect);
            Assert.All(results.Where(r => r.StatusCode != HttpStatusCode.Redirect), r => Assert.Contains("该手机号已注册", r.Body));
            Assert.Equal(1, await CountUsersAsync(phone));
            // "Already registered" is an expected answer, not a database failure in the operator's log (nor is the page's
            // community picker an error of its own).
            Assert.DoesNotContain(app.Logs.Since(mark), e => e.Level >= LogLevel.Error || e.Exception is not null);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task ChangePassword_NeedsTheCurrentOne()
    {
        using var client = app.NewClient();
        Assert.True(await RegisterAsync(client, "13700000081", "改密码", "first long passphrase"));

        using var wrong = await client.SubmitFormAsync("/account/change-password", new Dictionary<string, string>
        {
            ["Input.CurrentPassword"] = "not it",
            ["Input.NewPassword"] = "second long passphrase",
            ["Input.ConfirmPassword"] = "second long passphrase",
        });
        Assert.Contains("当前密码不正确", await wrong.Content.ReadAsStringAsync());

        using var right = await client.SubmitFormAsync("/account/change-password", new Dictionary<string, string>
        {
            ["Input.CurrentPassword"] = "first long passphrase",
            ["Input.NewPassword"] = "second long passphrase",
            ["Input.ConfirmPassword"] = "second long passphrase",
        });
        Assert.Contains("密码已修改", await right.Content.ReadAsStringAsync());
        using var fresh = app.NewClient();
        Assert.True(await fresh.SignInAsync("13700000081", "second long passphrase"));
    }

    [Fact]
    public async Task Profile_AResidentChoosesACommunity_AnOrganizerCannotMoveThemself()
    {
        using var resident = app.NewClient();
        Assert.True(await RegisterAsync(resident, "13700000082", "换社区", "profile passphrase"));
        var heping = await OrgIdAsync("和平社区");
        using var saved = await resident.SubmitFormAsync("/account/profile", new Dictionary<string, string>
        {
            ["Input.RealName"] = "换了社区",
            ["Input.Phone"] = "13700000082",
            ["Input.OrgNodeId"] = heping.ToString(),
        });
        Assert.Contains("个人资料已保存", await saved.Content.ReadAsStringAsync());
        Assert.Equal(heping, await UserOrgAsync("13700000082") ?? 0);

        using var organizer = app.NewClient();
        Assert.True(await organizer.SignInAsync(Demo.OrganizerHongxing));
        var city = await OrgIdAsync("太行市");
        var before = await UserOrgAsync(Demo.OrganizerHongxing);
        using var attempt = await organizer.SubmitFormAsync("/account/profile", new Dictionary<string, string>
        {
            ["Input.RealName"] = "李秀英",
            ["Input.Phone"] = Demo.OrganizerHongxing,
            ["Input.OrgNodeId"] = city.ToString(), // would widen their scope to the whole city
        });
        Assert.Equal(before, await UserOrgAsync(Demo.OrganizerHongxing));
    }

    internal static Dictionary<string, string> Fields(string phone, string name, string password) => new()
    {
        ["Input.Phone"] = phone,
        ["Input.RealName"] = name,
        ["Input.Password"] = password,
        ["Input.ConfirmPassword"] = password,
    };

    private static async Task<bool> RegisterAsync(AppClient client, string phone, string name, string password)
    {
        using var response = await client.SubmitFormAsync("/account/register", Fields(phone, name, password));
        return response.StatusCode == HttpStatusCode.Redirect && client.HasAuthCookie;
    }

    private Task<int> CountUsersAsync(string? phone = null) =>
        Read(db => db.Users.CountAsync(u => phone == null || u.PhoneNumber == phone));

    private Task<int> OrgIdAsync(string name) => Read(db => db.OrgNodes.Where(n => n.Name == name).Select(n => n.Id).SingleAsync());

    private Task<int?> UserOrgAsync(string phone) => Read(db => db.Users.Where(u => u.PhoneNumber == phone).Select(u => u.OrgNodeId).SingleAsync());

    /// <summary>Reads the app's database directly (through its own context factory), whichever engine it runs on.</summary>
    private async Task<T> Read<T>(Func<DezhiHub.Web.Data.AppDbContext, Task<T>> query)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<DezhiHub.Web.Data.AppDbContext>>().CreateDbContextAsync();
        return await query(db);
    }
}
