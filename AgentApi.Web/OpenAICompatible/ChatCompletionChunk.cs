using System.Text.Json.Serialization;

namespace AgentApi.Web.OpenAICompatible;

/// <summary>One <c>chat.completion.chunk</c> event; <c>usage</c> is null but on the last chunk when usage was asked for.</summary>
internal sealed record ChatCompletionChunk(string Id, long Created, string Model, IReadOnlyList<ChatCompletionChunkChoice> Choices, ChatCompletionUsage? Usage,
    [property: JsonPropertyOrder(-1)] string Object = "chat.completion.chunk");
