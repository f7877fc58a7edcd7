using System.Text.Json;

namespace AgentApi.Infrastructure.Providers;

/// <summary>
/// Reads a provider's error body for the logs. Tolerates every envelope seen in the wild:
/// <c>{"error":{...}}</c>, the same wrapped in an array (Gemini through proxies), vLLM's flat
/// <c>{"object":"error",...}</c> with an integer <c>code</c>, and plain text or HTML.
/// </summary>
internal static class ProviderErrorBody
{
    private const int MaxLength = 500;

    public static string? Describe(string? body, string? secret)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        var text = TryReadMessage(body) ?? body;
        if (!string.IsNullOrEmpty(secret))
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }

        return text.Length <= MaxLength ? text : string.Concat(text.AsSpan(0, MaxLength), "…");
    }

    private static string? TryReadMessage(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0)
            {
                root = root[0];
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var error = root.TryGetProperty("error", out var inner) && inner.ValueKind == JsonValueKind.Object ? inner : root;
            var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            var kind = Field(error, "status") ?? Field(error, "code") ?? Field(error, "type");
            return message is null ? null : kind is null ? message : $"{kind}: {message}";
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Field(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;
}
