namespace AgentApi.Core.Diagnostics;

/// <summary>
/// Marks the asks a starting instance sends itself before it reports ready, so that the first real callers
/// find its code compiled and its pools filled (docs/decisions/0011-warm-up-before-ready.md). Such an ask runs
/// the whole path, but leaves nothing behind: the providers' HTTP handler answers it with a canned reply
/// instead of calling out, its answer is never cached, and metrics, cache statistics, caller limits and the
/// log leave it out.
/// </summary>
public static class WarmUpScope
{
    private static readonly AsyncLocal<bool> Current = new();

    /// <summary>True inside a warm-up ask, including the work it starts (the cache runs its producer in the ask's context).</summary>
    public static bool IsActive => Current.Value;

    /// <summary>Marks the rest of the calling async method's flow; the mark ends when that method returns.</summary>
    public static void Enter() => Current.Value = true;
}
