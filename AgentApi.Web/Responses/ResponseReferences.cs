using AgentApi.Core.Responses;
using AgentApi.Web.Diagnostics;
using AgentApi.Web.OpenAICompatible;

namespace AgentApi.Web.Responses;

/// <summary>
/// <c>item_reference</c> input items, replaced by the items they name: items of the caller's stored responses (an
/// item's id names its response, <see cref="ResponseIdentity"/>). Clients that keep the conversation send references
/// to earlier outputs instead of the outputs themselves.
/// </summary>
internal static class ResponseReferences
{
    /// <exception cref="InvalidOpenAIRequestException">A reference names no item of the caller's stored responses.</exception>
    public static async Task<IReadOnlyList<PlacedItem>> ResolveAsync(IReadOnlyList<PlacedItem> items, IResponseStore store, string owner, CancellationToken cancellationToken)
    {
        if (items.All(item => item.ReferenceId is null))
        {
            return items;
        }

        var stored = new Dictionary<string, List<PlacedItem>?>(StringComparer.Ordinal);
        var resolved = new List<PlacedItem>(items.Count);
        foreach (var placed in items)
        {
            if (placed.ReferenceId is not { } id)
            {
                resolved.Add(placed);
                continue;
            }

            List<PlacedItem>? candidates = null;
            if (ResponseIdentity.ResponseIdOf(id) is { } responseId && !stored.TryGetValue(responseId, out candidates))
            {
                candidates = await store.FindAsync(owner, responseId, cancellationToken) is { } response ? ResponseChain.ItemsOf(response) : null;
                stored[responseId] = candidates;
            }

            var item = candidates?.Select(candidate => candidate.Item).FirstOrDefault(candidate => candidate?.Id == id)
                ?? throw new InvalidOpenAIRequestException(OpenAIError.BadRequest(
                    $"Item with id '{LogText.Cut(id)}' not found: a reference names an item of one of your stored responses.", $"{placed.Field}.id", "item_not_found"));
            resolved.Add(placed with { Item = item, ReferenceId = null });
        }

        return resolved;
    }
}
