namespace AgentApi.Tests.Support;

/// <summary>Polls for a condition that background work (compaction, async writes, log flushing) makes true.</summary>
public static class Eventually
{
    public static Task TrueAsync(Func<bool> condition, TimeSpan? timeout = null, string? what = null) =>
        TrueAsync(() => Task.FromResult(condition()), timeout, what);

    /// <summary>Returns once <paramref name="condition"/> holds; fails the test, saying what was awaited, when it never does.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan? timeout = null, string? what = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(5);
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"{what ?? "The condition"} did not hold within {limit.TotalSeconds:0.#} s.");
            }

            await Task.Delay(10);
        }
    }
}
