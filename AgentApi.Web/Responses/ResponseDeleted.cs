using System.Text.Json.Serialization;

namespace AgentApi.Web.Responses;

/// <summary>What <c>DELETE /v1/responses/{id}</c> answers.</summary>
internal sealed record ResponseDeleted(string Id)
{
    [JsonPropertyOrder(1)]
    public string Object { get; init; } = "response";

    [JsonPropertyOrder(2)]
    public bool Deleted { get; init; } = true;
}
