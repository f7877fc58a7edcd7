using System.Text.Json;

namespace AgentApi.Infrastructure.Providers.Gemini;

/// <summary>
/// A function call, whole (Gemini never splits one across stream chunks). <see cref="Args"/> is a JSON object.
/// <see cref="Id"/> is read when the API sends one and never written: generateContent answers an <c>id</c> in a request
/// with 400 "Unknown name "id" at '…function_call'".
/// </summary>
internal sealed record GeminiFunctionCall(string? Name, JsonElement? Args, string? Id = null);
