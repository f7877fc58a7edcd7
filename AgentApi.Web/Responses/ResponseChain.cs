using System.Globalization;
using System.Text.Json;
using AgentApi.Core.Responses;
using AgentApi.Web.Diagnostics;
using AgentApi.Web.OpenAICompatible;

namespace AgentApi.Web.Responses;

/// <summary>
/// The conversation a request continues with <c>previous_response_id</c>: the caller's stored responses it chains back
/// to, oldest first, each one's input items then its output, as the orchestrator and the executor see a multi-turn
/// conversation. Reading a response keeps it for another <c>RESPONSES_TTL_SECONDS</c>.
/// </summary>
internal static class ResponseChain
{
    /// <summary>The most responses one conversation may chain.</summary>
    public const int MaxResponses = 1000;

    /// <summary>The most characters of stored documents one conversation may read back.</summary>
    public const long MaxCharacters = 16L * 1024 * 1024;

    /// <exception cref="InvalidOpenAIRequestException">A response of the chain is not stored (for this caller), or the chain is too long.</exception>
    public static async Task<IReadOnlyList<PlacedItem>> LoadAsync(IResponseStore store, string owner, string previousResponseId, CancellationToken cancellationToken)
    {
        var chain = new List<StoredResponse>();
        long characters = 0;
        for (var id = previousResponseId; id is not null;)
        {
            var found = await store.FindAsync(owner, id, cancellationToken);
            if (found is null)
            {
                throw chain.Count == 0
                    ? NotFound($"Previous response with id '{LogText.Cut(id)}' not found.")
                    : NotFound($"Previous response with id '{LogText.Cut(previousResponseId)}' continues '{LogText.Cut(id)}', which is no longer stored (expired or deleted). Start a new conversation with the turns you need as input.");
            }

            characters += found.Response.Length + found.InputItems.Length;
            if (chain.Count == MaxResponses || characters > MaxCharacters)
            {
                throw new InvalidOpenAIRequestException(OpenAIError.BadRequest(
                    string.Create(CultureInfo.InvariantCulture, $"The conversation of previous response '{LogText.Cut(previousResponseId)}' is longer than AgentApi reads back ({MaxResponses} responses, {MaxCharacters / (1024 * 1024)} MiB). Start a new conversation with the turns you need as input."),
                    PlacedItem.PreviousResponse, "conversation_too_long"));
            }

            chain.Add(found);
            id = found.PreviousResponseId;
        }

        chain.Reverse();
        return [.. chain.SelectMany(ItemsOf)];
    }

    /// <summary>A stored response's input items, then its output.</summary>
    public static List<PlacedItem> ItemsOf(StoredResponse response)
    {
        using var input = JsonDocument.Parse(response.InputItems);
        using var body = JsonDocument.Parse(response.Response);
        return
        [
            .. input.RootElement.EnumerateArray().Select(item => ResponseRequestReader.ReadItem(item, PlacedItem.PreviousResponse)),
            .. body.RootElement.GetProperty("output").EnumerateArray().Select(item => ResponseRequestReader.ReadItem(item, PlacedItem.PreviousResponse)),
        ];
    }

    private static InvalidOpenAIRequestException NotFound(string message) =>
        new(OpenAIError.BadRequest(message, PlacedItem.PreviousResponse, "previous_response_not_found"));
}
