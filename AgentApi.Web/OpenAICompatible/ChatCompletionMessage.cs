using System.Text.Json.Serialization;

namespace AgentApi.Web.OpenAICompatible;

/// <summary>The assistant's message; <c>refusal</c> is always null (a withheld answer is <c>finish_reason: content_filter</c>).</summary>
internal sealed record ChatCompletionMessage(string? Content, [property: JsonPropertyOrder(-1)] string Role = "assistant", string? Refusal = null);
