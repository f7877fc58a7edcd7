using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentApi.Web.Responses;

/// <summary>A page of <c>GET /v1/responses/{id}/input_items</c>: the stored items as they were stored.</summary>
internal sealed record ResponseItemList(IReadOnlyList<JsonElement> Data, bool HasMore, string? FirstId, string? LastId)
{
    [JsonPropertyOrder(-1)]
    public string Object { get; init; } = "list";
}
