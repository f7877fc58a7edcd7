namespace AgentApi.Tests.Support;

/// <summary>Polls for a condition that background work (compaction, async writes, log flushing) makes true.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        await TrueAsync(() => Task.FromResult(condition()), timeout);
    }

    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return; // the caller's assertions report what is wrong
            }

            await Task.Delay(10);
        }
    }
}
