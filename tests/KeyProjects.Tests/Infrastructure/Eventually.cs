namespace KeyProjects.Tests.Infrastructure;

/// <summary>
/// Waits for something asynchronous (a reminder tick, a live event) to become true, checking often. The limit is
/// generous and only bounds a failing test; passing never depends on how long anything takes.
/// </summary>
public static class Eventually
{
    public static async Task<T> Get<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan? limit = null)
    {
        var giveUpAt = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > giveUpAt) throw new TimeoutException($"Still waiting for: {what}");
            await Task.Delay(100);
        }
    }
}
