namespace AgentApi.Core.Routing;

/// <summary>One provider of the routes file's <c>providers</c> table: where a protocol is spoken and with which key.</summary>
/// <param name="Name">What routes write before the model (<c>anthropic/claude-haiku-4-5</c>); also the <c>provider</c> of metrics and responses.</param>
/// <param name="Protocol">The wire protocol: <c>openai</c>, <c>gemini</c> or <c>anthropic</c>.</param>
/// <param name="BaseUrl">The API base, e.g. <c>https://api.anthropic.com/v1</c>; null for the protocol's public endpoint.</param>
/// <param name="ApiKeyVariable">The environment variable that holds the key; the key itself is never written in the file.</param>
/// <param name="Headers">Extra headers sent with every call (never a key: those go through <paramref name="ApiKeyVariable"/>).</param>
public sealed record ProviderDefinition(
    string Name,
    string Protocol,
    string? BaseUrl,
    string? ApiKeyVariable,
    IReadOnlyDictionary<string, string> Headers);
