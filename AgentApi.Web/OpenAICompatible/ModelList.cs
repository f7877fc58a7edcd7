using System.Text.Json.Serialization;

namespace AgentApi.Web.OpenAICompatible;

/// <summary>The answer of <c>GET /v1/models</c>.</summary>
internal sealed record ModelList([property: JsonPropertyOrder(-1)] string Object, IReadOnlyList<ModelEntry> Data);
