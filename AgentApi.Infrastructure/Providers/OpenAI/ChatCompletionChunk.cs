using System.Text.Json;

namespace AgentApi.Infrastructure.Providers.OpenAI;

/// <summary>
/// One <c>chat.completion.chunk</c> of a stream. <see cref="Usage"/> is null (or absent, on Ollama) except on the
/// final usage chunk, whose <see cref="Choices"/> is empty. <see cref="Error"/> is set when a compatible server
/// reports a failure inside the stream (<c>data: {"error": {...}}</c>); its <c>code</c> may be a string or a number.
/// </summary>
internal sealed record ChatCompletionChunk(string? Id, string? Model, IReadOnlyList<ChatChunkChoice>? Choices, ChatUsage? Usage, JsonElement? Error);
