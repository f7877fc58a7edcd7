using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using AgentApi.Web.OpenAICompatible;
using AgentApi.Web.Responses;

namespace AgentApi.Web.Pipeline;

/// <summary>
/// The one JSON escaping every door writes (answers, stream events, problems, OpenAI's errors): JSON's own
/// (quotes, backslashes and control characters), not HTML's (<c>'</c> as <c>\u0027</c>, <c>&lt;</c> as
/// <c>\u003C</c>): these bodies are <c>application/json</c> and never embedded in a page.
/// </summary>
internal static class JsonWire
{
    public static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary><c>/v1</c>'s source-generated JSON with that escaping: OpenAI's snake_case names, nulls written.</summary>
    public static readonly OpenAICompatibleJsonContext OpenAI = new(OpenAIOptions());

    /// <summary><c>/v1/responses</c>' source-generated JSON, with the same settings.</summary>
    public static readonly ResponsesJsonContext Responses = new(OpenAIOptions());

    private static JsonSerializerOptions OpenAIOptions() => new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = Encoder,
    };
}
