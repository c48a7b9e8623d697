namespace DezhiHub.Tests.Infrastructure;

/// <summary>Waits for something another thread or instance makes true (a live change heard through the database).</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, double seconds = 5)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not true within {seconds} s");
            await Task.Delay(20);
        }
    }
}
