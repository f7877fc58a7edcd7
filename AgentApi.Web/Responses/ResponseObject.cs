using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentApi.Web.Responses;

/// <summary>
/// OpenAI's <c>response</c> object: what <c>POST /v1/responses</c> answers, what its stream's lifecycle events carry and
/// what <c>GET /v1/responses/{id}</c> serves back. The request's settings are echoed as they were read; the fields
/// AgentApi does not offer are written with the value that means "not used".
/// </summary>
internal sealed record ResponseObject(
    string Id,
    long CreatedAt,
    string Status,
    long? CompletedAt,
    ResponseError? Error,
    ResponseIncompleteDetails? IncompleteDetails,
    string? Instructions,
    int? MaxOutputTokens,
    string Model,
    IReadOnlyList<ResponseItem> Output,
    bool ParallelToolCalls,
    string? PreviousResponseId,
    bool Store,
    double? Temperature,
    ResponseText Text,
    JsonElement ToolChoice,
    IReadOnlyList<ResponseFunctionTool> Tools,
    double? TopP,
    ResponseUsage? Usage,
    string? User,
    string? SafetyIdentifier,
    IReadOnlyDictionary<string, string> Metadata)
{
    [JsonPropertyOrder(-1)]
    public string Object { get; init; } = "response";

    public bool Background { get; init; }

    public string Truncation { get; init; } = "disabled";

    public string ServiceTier { get; init; } = "default";

    public int? MaxToolCalls { get; init; }

    public int TopLogprobs { get; init; }
}
