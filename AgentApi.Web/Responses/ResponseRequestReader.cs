using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using AgentApi.Core.Providers;
using AgentApi.Web.Diagnostics;
using AgentApi.Web.OpenAICompatible;
using static AgentApi.Web.OpenAICompatible.OpenAIRequestJson;

namespace AgentApi.Web.Responses;

/// <summary>
/// Reads OpenAI's <c>CreateResponse</c> under the rules of every <c>/v1</c> door (<see cref="OpenAIRequestJson"/>): a
/// field is used, accepted at the value that asks nothing (<c>background: false</c>, <c>include: []</c>, any field set to
/// <c>null</c>), or a 400 naming it. Function tools, <c>tool_choice</c>, function calls and their outputs in
/// <c>input</c>, and <c>text.format</c> are read for the executor as on <c>/v1/chat/completions</c>; built-in tools and
/// background responses are refused by name.
/// </summary>
internal static partial class ResponseRequestReader
{
    /// <summary>OpenAI's least <c>max_output_tokens</c>.</summary>
    private const int MinOutputTokens = 16;

    private const int MaxMetadataPairs = 16;
    private const int MaxMetadataKeyChars = 64;
    private const int MaxMetadataValueChars = 512;

    /// <summary>Fields of the spec's request that AgentApi cannot honour at any value but null.</summary>
    private static readonly FrozenDictionary<string, string> Unsupported = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["reasoning"] = "the executor is not a reasoning model",
        ["max_tool_calls"] = "AgentApi has no built-in tools whose calls it could limit",
        ["prompt"] = "stored prompt templates are not supported; send instructions and input",
        ["prompt_cache_key"] = "the provider's prompt cache is not exposed",
        ["prompt_cache_retention"] = "the provider's prompt cache is not exposed",
        ["prompt_cache_options"] = "the provider's prompt cache is not exposed",
        ["conversation"] = "conversation objects are not supported; chain responses with previous_response_id",
        ["context_management"] = "context compaction is not supported",
        ["moderation"] = "moderated responses are not supported",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <exception cref="InvalidOpenAIRequestException">The request cannot be served as sent.</exception>
    public static async Task<ResponseRequest> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var document = await ParseBodyAsync(request, cancellationToken);
        return Read(document.RootElement);
    }

    /// <exception cref="InvalidOpenAIRequestException">The request cannot be served as sent.</exception>
    public static ResponseRequest Read(JsonElement root)
    {
        RequireObject(root);
        string? model = null, instructions = null, previous = null, user = null, safetyIdentifier = null;
        JsonElement? input = null, streamOptions = null;
        bool store = true, stream = false;
        bool? parallelToolCalls = null;
        double? temperature = null, topP = null;
        int? maxOutputTokens = null;
        IReadOnlyList<ToolDefinition>? tools = null;
        ToolChoice? toolChoice = null;
        ResponseFormat? format = null;
        IReadOnlyDictionary<string, string>? metadata = null;
        foreach (var property in Properties(root, path: null))
        {
            var value = property.Value;
            var name = property.Name;
            switch (name)
            {
                case "model":
                    model = String(value, name);
                    break;
                case "input":
                    input = value.ValueKind == JsonValueKind.Null ? null : value;
                    break;
                case "instructions":
                    instructions = String(value, name);
                    break;
                case "previous_response_id":
                    previous = String(value, name) is { Length: > 0 } id ? id : null;
                    break;
                case "store":
                    store = Boolean(value, name) ?? true;
                    break;
                case "stream":
                    stream = Boolean(value, name) ?? false;
                    break;
                case "stream_options":
                    streamOptions = value.ValueKind == JsonValueKind.Null ? null : value;
                    break;
                case "tools":
                    tools = ReadToolList(value, ReadTool);
                    break;
                case "tool_choice":
                    toolChoice = ReadToolChoice(value);
                    break;
                case "parallel_tool_calls":
                    parallelToolCalls = Boolean(value, name);
                    break;
                case "text":
                    format = ReadText(value);
                    break;
                case "max_output_tokens":
                    maxOutputTokens = PositiveInteger(value, name, MinOutputTokens);
                    break;
                case "temperature":
                    temperature = Number(value, name, 0, 2);
                    break;
                case "top_p":
                    topP = Number(value, name, 0, 1);
                    break;
                case "metadata":
                    metadata = ReadMetadata(value);
                    break;
                case "user":
                    user = EndUser(value, name);
                    break;
                case "safety_identifier":
                    safetyIdentifier = EndUser(value, name);
                    break;
                case "background":
                    RequireNoOp(value, name, v => v.ValueKind == JsonValueKind.False,
                        "AgentApi answers while the request is open, never in the background; send stream: true to see the answer as it is written");
                    break;
                case "truncation":
                    // The gateway's history windows always apply (docs/openai-compatible.md), whichever is asked.
                    RequireNoOp(value, name, v => v.ValueKind == JsonValueKind.String && v.GetString() is "auto" or "disabled", "truncation may only be \"auto\" or \"disabled\"");
                    break;
                case "service_tier":
                    RequireNoOp(value, name, v => v.ValueKind == JsonValueKind.String && v.GetString() is "auto" or "default", "the provider's service tier is chosen by the gateway; service_tier may only be \"auto\" or \"default\"");
                    break;
                case "include":
                    RequireNoOp(value, name, v => v.ValueKind == JsonValueKind.Array && v.GetArrayLength() == 0,
                        "there is nothing more to include: no built-in tools, no reasoning, no log probabilities");
                    break;
                case "top_logprobs":
                    RequireNoOp(value, name, v => v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var count) && count == 0, "log probabilities are not returned; top_logprobs must be 0");
                    break;
                default:
                    if (Unsupported.TryGetValue(name, out var reason))
                    {
                        RequireNoOp(value, name, _ => false, reason);
                        break;
                    }

                    throw Unrecognized(name);
            }
        }

        if (string.IsNullOrEmpty(model))
        {
            throw Invalid("You must provide a model parameter: one of the ids GET /v1/models lists.", "model", "missing_required_parameter");
        }

        ReadStreamOptions(streamOptions, stream, takesIncludeUsage: false);
        return new ResponseRequest(model, ReadInput(input))
        {
            Instructions = string.IsNullOrWhiteSpace(instructions) ? null : instructions,
            PreviousResponseId = previous,
            Store = store,
            Stream = stream,
            Tools = ToolSetOf(tools, toolChoice, parallelToolCalls, "tool_choice.name"),
            ToolChoice = toolChoice,
            ParallelToolCalls = parallelToolCalls,
            Format = format,
            Temperature = temperature,
            TopP = topP,
            MaxOutputTokens = maxOutputTokens,
            Metadata = metadata ?? new Dictionary<string, string>(),
            User = user,
            SafetyIdentifier = safetyIdentifier,
        };
    }

    /// <summary><c>text</c>: its <c>format</c> (<c>text</c> asks nothing; <c>json_object</c>; a <c>json_schema</c>), and <c>verbosity</c> at its default only.</summary>
    private static ResponseFormat? ReadText(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw InvalidType("text", "an object", value);
        }

        ResponseFormat? format = null;
        foreach (var property in Properties(value, "text"))
        {
            switch (property.Name)
            {
                case "format":
                    format = ReadFormat(property.Value);
                    break;
                case "verbosity":
                    RequireNoOp(property.Value, "text.verbosity", v => v.ValueKind == JsonValueKind.String && v.GetString() == "medium", "verbosity is not adjustable; it may only be \"medium\"");
                    break;
                default:
                    throw Unrecognized($"text.{property.Name}");
            }
        }

        return format;
    }

    private static ResponseFormat? ReadFormat(JsonElement value)
    {
        const string path = "text.format";
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw InvalidType(path, "an object", value);
        }

        var type = value.TryGetProperty("type", out var typeValue) ? String(typeValue, $"{path}.type") : null;
        switch (type)
        {
            case null:
                throw Missing($"{path}.type");
            case "text" or "json_object":
                foreach (var property in Properties(value, path))
                {
                    if (property.Name != "type")
                    {
                        throw Unrecognized($"{path}.{property.Name}");
                    }
                }

                return type == "text" ? null : ResponseFormat.JsonObject;
            case "json_schema":
                return ReadJsonSchemaFormat(value, path, static (property, _) => property.Name == "type");
            default:
                throw Invalid($"Invalid value: '{LogText.Cut(type)}'. Supported values are: 'text', 'json_object' and 'json_schema'.", $"{path}.type", "invalid_value");
        }
    }

    /// <summary>Up to 16 pairs of strings, keys of at most 64 characters and values of at most 512, as OpenAI takes them.</summary>
    private static Dictionary<string, string>? ReadMetadata(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw InvalidType("metadata", "an object of strings", value);
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in Properties(value, "metadata"))
        {
            var field = $"metadata.{LogText.Cut(property.Name)}";
            if (metadata.Count == MaxMetadataPairs)
            {
                throw Invalid(string.Create(CultureInfo.InvariantCulture, $"Invalid 'metadata': at most {MaxMetadataPairs} pairs are allowed."), "metadata", "object_above_max_properties");
            }

            if (property.Name.Length > MaxMetadataKeyChars)
            {
                throw Invalid(string.Create(CultureInfo.InvariantCulture, $"Invalid 'metadata': a key has {property.Name.Length} characters; at most {MaxMetadataKeyChars} are allowed."), field, "string_above_max_length");
            }

            var text = String(property.Value, field) ?? throw InvalidType(field, "a string", property.Value);
            metadata[property.Name] = text.Length <= MaxMetadataValueChars
                ? text
                : throw Invalid(string.Create(CultureInfo.InvariantCulture, $"Invalid '{field}': the value has {text.Length} characters; at most {MaxMetadataValueChars} are allowed."), field, "string_above_max_length");
        }

        return metadata;
    }
}
