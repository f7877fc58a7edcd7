using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentApi.Core.Responses;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Options;

namespace AgentApi.Infrastructure.Responses;

/// <summary>
/// Stored responses in a cache tier: Redis (fail-safe, shared by every replica) when it is configured, else
/// <see cref="MemoryResponseTier"/>. An entry's key is the SHA-256 of its owner and id, so another owner's lookup of the
/// same id misses like an unknown one, and a caller's id of any length makes a key of one length. An entry is kept
/// <see cref="ResponseStoreOptions.Ttl"/> after its last use (sliding): continuing a conversation reads every response
/// of its chain, so a conversation in use never loses its beginning while it goes on.
/// </summary>
internal sealed class CachedResponseStore(IDistributedCache tier, IOptions<ResponseStoreOptions> options) : IResponseStore
{
    /// <summary>Starts every key; the version changes when <see cref="StoredResponse"/> changes shape.</summary>
    public const string Prefix = "response:v1:";

    public bool Enabled => options.Value.Ttl > TimeSpan.Zero;

    public async ValueTask SaveAsync(string owner, StoredResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (!Enabled)
        {
            return;
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(response, ResponseStoreJsonContext.Default.StoredResponse);
        await tier.SetAsync(Key(owner, response.Id), bytes, new DistributedCacheEntryOptions { SlidingExpiration = options.Value.Ttl }, cancellationToken);
    }

    public async ValueTask<StoredResponse?> FindAsync(string owner, string id, CancellationToken cancellationToken)
    {
        if (!Enabled || await tier.GetAsync(Key(owner, id), cancellationToken) is not { } bytes)
        {
            return null;
        }

        try
        {
            var response = JsonSerializer.Deserialize(bytes, ResponseStoreJsonContext.Default.StoredResponse);
            return response?.Id == id ? response : null;
        }
        catch (JsonException)
        {
            // Not a stored response of this version: as good as none.
            return null;
        }
    }

    public async ValueTask<bool> DeleteAsync(string owner, string id, CancellationToken cancellationToken)
    {
        if (await FindAsync(owner, id, cancellationToken) is null)
        {
            return false;
        }

        await tier.RemoveAsync(Key(owner, id), cancellationToken);
        return true;
    }

    internal static string Key(string owner, string id) =>
        Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(owner + "\n" + id)));
}
