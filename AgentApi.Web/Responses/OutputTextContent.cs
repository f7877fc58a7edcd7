using System.Text.Json;

namespace AgentApi.Web.Responses;

/// <summary>An <c>output_text</c> part of the assistant's message; AgentApi makes no annotations and returns no log probabilities.</summary>
internal sealed record OutputTextContent(string Text) : ResponseContent
{
    public IReadOnlyList<JsonElement> Annotations { get; init; } = [];

    public IReadOnlyList<JsonElement> Logprobs { get; init; } = [];
}
