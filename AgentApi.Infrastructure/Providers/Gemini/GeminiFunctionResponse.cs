using System.Text.Json;

namespace AgentApi.Infrastructure.Providers.Gemini;

/// <summary>A tool's result, sent in a <c>user</c> content: the function's name and a JSON object (<c>{"output": …}</c>).</summary>
internal sealed record GeminiFunctionResponse(string Name, JsonElement Response);
