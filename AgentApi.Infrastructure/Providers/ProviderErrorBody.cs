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

    /// <summary>Longer than any provider key or password likely to be echoed (OpenAI project keys are about 160 characters).</summary>
    private const int MaxTokenLength = 256;

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

        return text.Length <= MaxLength ? text : string.Concat(text.AsSpan(0, CutBeforeToken(text)), "…");
    }

    /// <summary>
    /// Where to cut a body longer than <see cref="MaxLength"/>: before the token the limit falls in, so a key
    /// echoed across the limit is not logged half (the log's redaction recognises whole secrets only).
    /// </summary>
    private static int CutBeforeToken(string text)
    {
        var cut = MaxLength;
        while (cut > MaxLength - MaxTokenLength && cut > 0 && IsTokenCharacter(text[cut - 1]) && IsTokenCharacter(text[cut]))
        {
            cut--;
        }

        return cut;
    }

    private static bool IsTokenCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '\\' or '%' or '+' or '/' or '=' or '.';

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
