using AgentApi.Core.Providers;

namespace AgentApi.Core.Routing;

/// <summary>
/// Which route made a tool call, so the turn that brings its result continues there without a new plan
/// (docs/decisions/0013-tool-turns.md). Kept in the cache tiers (memory, and Redis when configured), so any replica
/// finds it; an entry that expired is not found, and the turn goes to the default route as a fallback.
/// </summary>
public interface IToolCallRoutes
{
    /// <summary>Remembers that <paramref name="route"/> made <paramref name="calls"/>.</summary>
    ValueTask RememberAsync(IReadOnlyList<ToolCall> calls, string route, CancellationToken cancellationToken);

    /// <summary>The route that made the call with this id, or null when it is not known (never made here, or expired).</summary>
    ValueTask<string?> FindAsync(string toolCallId, CancellationToken cancellationToken);
}
