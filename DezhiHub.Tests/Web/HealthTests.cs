using System.Net;
using DezhiHub.Tests.Infrastructure;

namespace DezhiHub.Tests.Web;

[Collection(WebCollection.Name)]
public sealed class HealthTests(AppFactory app)
{
    [Fact]
    public async Task Live_AnswersOk()
    {
        using var client = app.NewClient();
        using var response = await client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Ready_AnswersOkWhenTheDatabaseAnswers()
    {
        using var client = app.NewClient();
        using var response = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}
