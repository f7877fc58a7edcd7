namespace AgentApi.Core.Providers;

/// <summary>The shape the executor's answer must take (OpenAI's <c>response_format.type</c>).</summary>
public enum ResponseFormatKind
{
    /// <summary>Free text.</summary>
    Text,

    /// <summary>Any JSON object (JSON mode).</summary>
    JsonObject,

    /// <summary>JSON matching a schema (structured outputs).</summary>
    JsonSchema,
}
