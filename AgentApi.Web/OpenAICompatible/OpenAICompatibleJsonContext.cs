using System.Text.Json.Serialization;

namespace AgentApi.Web.OpenAICompatible;

/// <summary>Source-generated JSON of <c>/v1</c>: OpenAI's snake_case names, nulls written (the SDKs expect <c>param: null</c>, <c>refusal: null</c>).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ChatCompletionResponse))]
[JsonSerializable(typeof(ChatCompletionChunk))]
[JsonSerializable(typeof(ModelList))]
[JsonSerializable(typeof(ModelEntry))]
[JsonSerializable(typeof(OpenAIErrorResponse))]
internal sealed partial class OpenAICompatibleJsonContext : JsonSerializerContext;
