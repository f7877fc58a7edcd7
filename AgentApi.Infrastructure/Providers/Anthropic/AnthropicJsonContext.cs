using System.Text.Json.Serialization;

namespace AgentApi.Infrastructure.Providers.Anthropic;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AnthropicMessagesRequest))]
[JsonSerializable(typeof(AnthropicMessageResponse))]
[JsonSerializable(typeof(AnthropicStreamEvent))]
internal sealed partial class AnthropicJsonContext : JsonSerializerContext;
