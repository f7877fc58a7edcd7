using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using AgentApi.Core.Providers;

namespace AgentApi.Web.Ask;

/// <summary>A question for the gateway.</summary>
/// <example>{ "query": "What is the capital of France?", "context": "Answer in one sentence.", "cache": true }</example>
public sealed record AskRequest
{
    public const int MaxQueryLength = Pipeline.RequestRules.MaxQueryChars;
    public const int MaxContextLength = Pipeline.RequestRules.MaxContextChars;

    /// <summary>The question to answer (not blank, at most 8,000 characters).</summary>
    /// <example>What is the capital of France?</example>
    [Required]
    [StringLength(MaxQueryLength, MinimumLength = 1)]
    public string Query { get; init; } = string.Empty;

    /// <summary>Optional background the answer should take into account (at most 32,000 characters).</summary>
    /// <example>Answer in one sentence.</example>
    [StringLength(MaxContextLength)]
    public string? Context { get; init; }

    /// <summary>Set to <c>false</c> to skip the cache read for this request; the fresh answer still refreshes the cache. Default <c>true</c>.</summary>
    [DefaultValue(true)]
    public bool? Cache { get; init; }

    /// <summary>
    /// Optional JSON Schema (an object) the answer must match: the executor answers in structured-outputs mode (strict),
    /// and <c>answer</c> is JSON text that matches it. Strict mode takes OpenAI's subset of JSON Schema: every object
    /// lists all its properties in <c>required</c> and sets <c>additionalProperties: false</c>.
    /// </summary>
    /// <example>{ "type": "object", "properties": { "city": { "type": "string" }, "country": { "type": "string" } }, "required": ["city", "country"], "additionalProperties": false }</example>
    public JsonElement? ResponseSchema { get; init; }

    /// <summary>The name the executor is given for <see cref="ResponseSchema"/>.</summary>
    internal const string ResponseSchemaName = "answer";

    /// <summary>The Core query: <c>"cache": false</c> skips the cache read (the pipeline adds the <c>Cache-Control</c> rules).</summary>
    internal Core.Ask.AskQuery ToQuery() => new(Query, Context, UseCache: Cache ?? true)
    {
        ResponseFormat = ResponseSchema is { ValueKind: JsonValueKind.Object } schema ? ResponseFormat.JsonSchema(ResponseSchemaName, schema.GetRawText(), strict: true) : null,
    };
}
