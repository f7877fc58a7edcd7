using System.Text.Json.Serialization;

namespace AgentApi.Web.OpenAICompatible;

/// <summary>OpenAI's <c>chat.completion</c>: one choice, usage over both steps.</summary>
internal sealed record ChatCompletionResponse(string Id, long Created, string Model, IReadOnlyList<ChatCompletionChoice> Choices, ChatCompletionUsage Usage,
    [property: JsonPropertyOrder(-1)] string Object = "chat.completion");
