using System.Security.Cryptography;
using System.Text;
using AgentApi.Core.Caching;
using AgentApi.Core.Providers;
using AgentApi.Core.Routing;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;

namespace AgentApi.Infrastructure.Caching;

/// <summary>
/// Tool call id → the route that made it, in the answer cache's tiers (memory, and Redis when configured, so any
/// replica finds it). An entry lives as long as an answer can be served from the cache, plus an hour for the caller
/// to run the tool: a tool-call answer served from the cache near the end of its life still finds its route.
/// </summary>
internal sealed class HybridToolCallRoutes(HybridCache cache, IOptions<CacheOptions> options) : IToolCallRoutes
{
    /// <summary>Starts every key; the id is hashed, so a caller's id of any length makes a key of one length.</summary>
    public const string Prefix = "toolcall:v1:";

    private static readonly TimeSpan ToolTime = TimeSpan.FromHours(1);

    private static readonly HybridCacheEntryOptions ReadOnly = new()
    {
        Flags = HybridCacheEntryFlags.DisableLocalCacheWrite | HybridCacheEntryFlags.DisableDistributedCacheWrite,
    };

    public async ValueTask RememberAsync(IReadOnlyList<ToolCall> calls, string route, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(calls);
        var ttl = options.Value.Ttl + ToolTime;
        var entry = new HybridCacheEntryOptions { Expiration = ttl, LocalCacheExpiration = ttl };
        foreach (var call in calls)
        {
            if (call.Id.Length > 0)
            {
                await cache.SetAsync(Key(call.Id), route, entry, tags: null, cancellationToken);
            }
        }
    }

    public ValueTask<string?> FindAsync(string toolCallId, CancellationToken cancellationToken) =>
        cache.GetOrCreateAsync<string?>(Key(toolCallId), static _ => ValueTask.FromResult<string?>(null), ReadOnly, tags: null, cancellationToken);

    internal static string Key(string toolCallId) =>
        Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(toolCallId)));
}
