using System.Net;
using DezhiHub.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace DezhiHub.Tests.Web;

/// <summary>Language, errors and the pages anyone can open.</summary>
[Collection(WebCollection.Name)]
public sealed class ShellTests(AppFactory app)
{
    [Fact]
    public async Task TheHomePage_IsChineseByDefault_WhateverTheBrowserAsks()
    {
        using var client = app.NewClient();
        client.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US,en;q=0.9");
        var html = await client.GetStringAsync("/");

        Assert.Contains("lang=\"zh-CN\"", html);
        Assert.Contains("德治润心", html);
    }

    [Fact]
    public async Task ChoosingEnglish_IsRememberedInACookie()
    {
        using var client = app.NewClient();
        using var response = await client.GetAsync("/culture/set?culture=en-US&redirectUri=%2Faccount%2Flogin");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login", response.Headers.Location!.OriginalString);
        var html = await client.GetStringAsync("/account/login");
        Assert.Contains("Sign in with your mobile number", html);
        Assert.Contains("中文", html); // the way back
    }

    [Theory]
    [InlineData("//evil.example/x")]
    [InlineData("https://evil.example/")]
    [InlineData("/\\evil.example")]
    public async Task TheLanguageSwitch_NeverRedirectsOffSite(string target)
    {
        using var client = app.NewClient();
        using var response = await client.GetAsync($"/culture/set?culture=en-US&redirectUri={Uri.EscapeDataString(target)}");
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task AnUnsupportedCulture_IsIgnored()
    {
        using var client = app.NewClient();
        using var _ = await client.GetAsync("/culture/set?culture=xx-YY&redirectUri=%2F");
        Assert.Contains("lang=\"zh-CN\"", await client.GetStringAsync("/"));
    }

    [Fact]
    public async Task AnUnknownPage_IsAFriendly404()
    {
        using var client = app.NewClient();
        using var response = await client.GetAsync("/no/such/page");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("页面不存在", html);
        Assert.DoesNotContain("Exception", html);
    }

    [Fact]
    public async Task AQueryValueThatDoesNotBind_IsA400WithAMessage_NotAServerError()
    {
        using var client = app.NewClient();
        Assert.True(await client.SignInAsync(Demo.Admin));
        using var response = await client.GetAsync("/admin/users/export.csv?orgNodeId=abc");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("请求的参数不正确。", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ComponentStyles_AreServed()
    {
        using var client = app.NewClient();
        var html = await client.GetStringAsync("/");
        var href = System.Text.RegularExpressions.Regex.Match(html, "href=\"(DezhiHub\\.Web\\.[^\"]*styles\\.css)\"").Groups[1].Value;
        Assert.NotEmpty(href);
        using var css = await client.GetAsync("/" + href);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Contains("components-reconnect", await css.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheHomePage_ShowsASignedInPersonsNextActivities()
    {
        using var client = app.NewClient();
        using (var registered = await client.SubmitFormAsync("/account/register", AccountTests.Fields("13700000090", "首页测试", "home page passphrase")))
        {
            Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        }

        Assert.Contains("还没有报名近期的活动", await client.GetStringAsync("/"));

        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DezhiHub.Web.Data.AppDbContext>();
            var activityId = db.Activities.Where(a => a.Title == "红色基因传承·企业微党课").Select(a => a.Id).Single();
            var userId = db.Users.Where(u => u.PhoneNumber == "13700000090").Select(u => u.Id).Single();
            await scope.ServiceProvider.GetRequiredService<DezhiHub.Web.Features.Activities.SignUpService>()
                .SignUpAsync(Principals.For(userId, "首页测试"), activityId);
        }

        var home = await client.GetStringAsync("/");
        Assert.Contains("我的近期活动", home);
        Assert.Contains("红色基因传承·企业微党课", home);
    }

    [Fact]
    public async Task TheErrorPage_IsFriendlyAndLocalized_WithOnlyAReference()
    {
        using var client = app.NewClient();
        var html = await client.GetStringAsync("/error");
        Assert.Contains("出错了", html);
        Assert.Contains("参考编号", html);
        Assert.DoesNotContain("at DezhiHub", html);
    }

    [Theory]
    [InlineData("/account/login?returnUrl=https%3A%2F%2Fevil.example")]
    [InlineData("/account/login?returnUrl=%2F%2Fevil.example")]
    public async Task SignIn_NeverRedirectsOffSite(string path)
    {
        using var client = app.NewClient();
        using var response = await client.SubmitFormAsync(path, new Dictionary<string, string>
        {
            ["Input.Phone"] = Demo.Resident,
            ["Input.Password"] = Demo.Password,
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var target = new Uri(app.BaseAddress, response.Headers.Location!);
        Assert.Equal((app.BaseAddress.Authority, "/"), (target.Authority, target.AbsolutePath));
    }

    [Fact]
    public async Task MalformedFormPosts_GetAnAnswer_NotAServerError()
    {
        using var client = app.NewClient();
        var page = await client.GetStringAsync("/account/login");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        using var response = await client.Http.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["_handler"] = "login",
            ["Input.Phone"] = new string('9', 5000),
            ["Input.Password"] = new string('x', 100_000),
            ["Input.RememberMe"] = "not-a-bool",
        }));
        Assert.True((int)response.StatusCode < 500, $"got {(int)response.StatusCode}");
    }
}
