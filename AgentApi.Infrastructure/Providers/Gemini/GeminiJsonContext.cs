using System.Text.Json.Serialization;

namespace AgentApi.Infrastructure.Providers.Gemini;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(GenerateContentRequest))]
[JsonSerializable(typeof(GenerateContentResponse))]
internal sealed partial class GeminiJsonContext : JsonSerializerContext;
