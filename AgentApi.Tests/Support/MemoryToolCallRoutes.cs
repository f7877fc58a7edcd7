using System.Collections.Concurrent;
using AgentApi.Core.Providers;
using AgentApi.Core.Routing;

namespace AgentApi.Tests.Support;

/// <summary>Tool call routes in a dictionary, for Core's unit tests.</summary>
public sealed class MemoryToolCallRoutes : IToolCallRoutes
{
    private readonly ConcurrentDictionary<string, string> _routes = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Remembered => _routes;

    public ValueTask RememberAsync(IReadOnlyList<ToolCall> calls, string route, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(calls);
        foreach (var call in calls)
        {
            _routes[call.Id] = route;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<string?> FindAsync(string toolCallId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_routes.TryGetValue(toolCallId, out var route) ? route : null);
}
