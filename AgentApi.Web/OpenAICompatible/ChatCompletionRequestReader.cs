using System.Collections.Frozen;
using System.Text;
using System.Text.Json;
using AgentApi.Core.Providers;
using AgentApi.Web.Diagnostics;
using static AgentApi.Web.OpenAICompatible.OpenAIRequestJson;

namespace AgentApi.Web.OpenAICompatible;

/// <summary>
/// Reads OpenAI's <c>CreateChatCompletionRequest</c> and refuses, naming the field, whatever AgentApi cannot honour:
/// a field is either used, accepted at the value that asks for nothing (<c>n: 1</c>, <c>logprobs: false</c>,
/// any field set to <c>null</c>), or a 400. Nothing is silently ignored but a message's <c>name</c> and the copies the
/// SDKs' helpers add to messages they return (<c>parsed</c>, <c>parsed_arguments</c>). Function tools,
/// <c>tool_choice</c>, <c>parallel_tool_calls</c>, tool exchanges in <c>messages</c> and <c>response_format</c> are read
/// for the executor and checked as OpenAI checks them. Walks the JSON by hand so every error carries the exact path
/// (<c>messages[2].content[0].type</c>).
/// </summary>
internal static partial class ChatCompletionRequestReader
{
    private const int MaxStopSequences = 4;

    private static readonly FrozenSet<string> Roles = FrozenSet.ToFrozenSet(["system", "developer", "user", "assistant", "tool"], StringComparer.Ordinal);

    /// <summary>Fields of the spec's request that AgentApi cannot honour at any value but null.</summary>
    private static readonly FrozenDictionary<string, string> Unsupported = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["functions"] = "the deprecated functions are not supported; send them as tools",
        ["function_call"] = "the deprecated function_call is not supported; send tool_choice",
        ["logit_bias"] = "the executor's token biases are not exposed",
        ["top_logprobs"] = "log probabilities are not returned",
        ["audio"] = "AgentApi answers in text only",
        ["prediction"] = "predicted outputs are not supported",
        ["web_search_options"] = "web search is not available",
        ["reasoning_effort"] = "the executor is not a reasoning model",
        ["verbosity"] = "verbosity is not adjustable",
        ["metadata"] = "completions are not stored",
        ["prompt_cache_key"] = "the provider's prompt cache is not exposed",
        ["prompt_cache_retention"] = "the provider's prompt cache is not exposed",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// Reads the body under the rules every door applies (<see cref="OpenAIRequestJson.ParseBodyAsync"/>): JSON sent as
    /// JSON, valid UTF-8, each key once, no unknown field, a visible question.
    /// </summary>
    /// <exception cref="InvalidOpenAIRequestException">The request cannot be served as sent.</exception>
    public static async Task<ChatCompletionCall> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var document = await ParseBodyAsync(request, cancellationToken);
        return Read(document.RootElement);
    }

    /// <exception cref="InvalidOpenAIRequestException">The request cannot be served as sent.</exception>
    public static ChatCompletionCall Read(JsonElement root)
    {
        RequireObject(root);
        string? model = null;
        JsonElement? messages = null;
        double? temperature = null;
        int? maxTokens = null, maxCompletionTokens = null;
        bool stream = false;
        JsonElement? streamOptions = null;
        string? user = null;
        double? topP = null, presencePenalty = null, frequencyPenalty = null;
        long? seed = null;
        IReadOnlyList<string>? stop = null;
        IReadOnlyList<ToolDefinition>? tools = null;
        ToolChoice? toolChoice = null;
        bool? parallelToolCalls = null;
        ResponseFormat? responseFormat = null;
        foreach (var property in Properties(root, path: null))
        {
            var value = property.Value;
            var name = property.Name;
            switch (name)
            {
                case "model":
                    model = String(value, name);
                    break;
                case "messages":
                    messages = value;
                    break;
                case "temperature":
                    temperature = Number(value, name, 0, 2);
                    break;
                case "max_tokens":
                    maxTokens = PositiveInteger(value, name);
                    break;
                case "max_completion_tokens":
                    maxCompletionTokens = PositiveInteger(value, name);
                    break;
                case "stream":
                    stream = Boolean(value, name) ?? false;
                    break;
                case "stream_options":
                    streamOptions = value.ValueKind == JsonValueKind.Null ? null : value;
                    break;
                case "user" or "safety_identifier":
                    user = EndUser(value, name) ?? user;
                    break;
                case "n":
                    RequireNoOp(value, name, v => v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) && n == 1,
                        "AgentApi returns one choice; n must be 1");
                    break;
                case "logprobs":
                    RequireNoOp(value, name, v => v.ValueKind == JsonValueKind.False, "log probabilities are not returned; logprobs must be false");
                    break;
                case "top_p":
                    topP = Number(value, name, 0, 1);
                    break;
                case "presence_penalty":
                    presencePenalty = Number(value, name, -2, 2);
                    break;
                case "frequency_penalty":
                    frequencyPenalty = Number(value, name, -2, 2);
                    break;
                case "seed":
                    seed = Integer(value, name);
                    break;
                case "stop":
                    stop = ReadStop(value);
                    break;
                case "tools":
                    tools = ReadTools(value);
                    break;
                case "parallel_tool_calls":
                    parallelToolCalls = Boolean(value, name);
                    break;
                case "tool_choice":
                    toolChoice = ReadToolChoice(value);
                    break;
                case "store":
                    RequireNoOp(value, name, v => v.ValueKind == JsonValueKind.False, "completions are not stored; store must be false");
                    break;
                case "response_format":
                    responseFormat = ReadResponseFormat(value);
                    break;
                case "modalities":
                    RequireNoOp(value, name, v => v.ValueKind == JsonValueKind.Array && v.EnumerateArray().All(m => m.ValueKind == JsonValueKind.String && m.GetString() == "text"),
                        "AgentApi answers in text only; modalities may only be [\"text\"]");
                    break;
                case "service_tier":
                    RequireNoOp(value, name, v => v.ValueKind == JsonValueKind.String && v.GetString() is "auto" or "default", "the provider's service tier is chosen by the gateway; service_tier may only be \"auto\" or \"default\"");
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

        var includeUsage = ReadStreamOptions(streamOptions, stream, takesIncludeUsage: true);
        var toolSet = ToolSetOf(tools, toolChoice, parallelToolCalls, "tool_choice.function.name");
        var conversation = ReadMessages(messages);
        if (responseFormat is { Kind: ResponseFormatKind.JsonObject } && !conversation.Mentions("json"))
        {
            // OpenAI's rule for JSON mode, checked here so the caller is told, not given a provider's 400 as a 502.
            throw Invalid("'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.", "messages", "invalid_value");
        }

        return new ChatCompletionCall(model, conversation.Query, conversation.History, conversation.Instructions, temperature, maxCompletionTokens ?? maxTokens, stream, includeUsage, user)
        {
            Sampling = new Sampling(topP, stop, seed, presencePenalty, frequencyPenalty),
            ToolTurns = conversation.ToolTurns,
            Tools = toolSet,
            ResponseFormat = responseFormat,
        };
    }

    /// <summary>A string or up to 4 strings, OpenAI's limit; an empty array or null means none.</summary>
    private static List<string>? ReadStop(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                return [value.GetString()!];
            case JsonValueKind.Array when value.GetArrayLength() > MaxStopSequences:
                throw Invalid($"Invalid 'stop': at most {MaxStopSequences} sequences are allowed.", "stop", "invalid_value");
            case JsonValueKind.Array:
                var sequences = new List<string>();
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    sequences.Add(String(item, $"stop[{index++}]") ?? throw InvalidType($"stop[{index - 1}]", "a string", item));
                }

                return sequences.Count == 0 ? null : sequences;
            default:
                throw InvalidType("stop", "a string or an array of strings", value);
        }
    }

    /// <summary>The messages split at the question and checked (<see cref="OpenAIConversation.Split"/>).</summary>
    private static OpenAIConversation ReadMessages(JsonElement? messages)
    {
        switch (messages)
        {
            case null or { ValueKind: JsonValueKind.Null }:
                throw Missing("messages");
            case { ValueKind: not JsonValueKind.Array } other:
                throw InvalidType("messages", "an array of objects", other);
            case { } array when array.GetArrayLength() == 0:
                throw Invalid("Invalid 'messages': empty array. Send at least one user message.", "messages", "empty_array");
        }

        var turns = new List<ConversationTurn>();
        var instructions = new List<string>();
        var index = 0;
        foreach (var message in messages.Value.EnumerateArray())
        {
            var path = $"messages[{index++}]";
            var (role, turn) = ReadMessage(message, path);
            if (role is "system" or "developer")
            {
                instructions.Add(turn.Text);
            }
            else
            {
                turns.Add(new ConversationTurn(turn, $"{path}.content", $"{path}.role", $"{path}.tool_call_id", $"{path}.tool_calls"));
            }
        }

        return OpenAIConversation.Split(turns, instructions, "messages", "messages");
    }

    private static (string Role, ChatTurn Turn) ReadMessage(JsonElement message, string path)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            throw InvalidType(path, "an object", message);
        }

        string? role = null;
        JsonElement? content = null;
        string? refusal = null;
        JsonElement? toolCalls = null;
        string? toolCallId = null;
        foreach (var property in Properties(message, path))
        {
            var field = $"{path}.{property.Name}";
            switch (property.Name)
            {
                case "role":
                    role = String(property.Value, field);
                    break;
                case "content":
                    content = property.Value.ValueKind == JsonValueKind.Null ? null : property.Value;
                    break;
                case "name":
                    // A participant's name: accepted and not used (docs/openai-compatible.md, "What /v1 does not do").
                    String(property.Value, field);
                    break;
                case "parsed" when property.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Null:
                    // The openai SDKs' parse helpers add the parsed content to the messages they return: a copy, not used.
                    break;
                case "refusal":
                    refusal = String(property.Value, field);
                    break;
                case "tool_calls":
                    toolCalls = property.Value.ValueKind == JsonValueKind.Null ? null : property.Value;
                    break;
                case "tool_call_id":
                    toolCallId = String(property.Value, field);
                    break;
                case "function_call" or "audio":
                    RequireNoOp(property.Value, field, _ => false, "AgentApi does not take the deprecated function_call or audio; send tool_calls");
                    break;
                default:
                    throw Unrecognized(field);
            }
        }

        if (role is null)
        {
            throw Invalid($"Missing required parameter: '{path}.role'.", $"{path}.role", "missing_required_parameter");
        }

        if (!Roles.Contains(role))
        {
            throw role is "function"
                ? Invalid("Messages with role 'function' are not supported: send tool results as messages with role 'tool'.", $"{path}.role", "invalid_value")
                : Invalid($"Invalid value: '{LogText.Cut(role)}'. Supported values are: 'system', 'developer', 'user', 'assistant' and 'tool'.", $"{path}.role", "invalid_value");
        }

        if (toolCalls is not null && role != "assistant")
        {
            throw Unrecognized($"{path}.tool_calls");
        }

        if (toolCallId is not null && role != "tool")
        {
            throw Unrecognized($"{path}.tool_call_id");
        }

        var calls = toolCalls is { } array ? ReadToolCalls(array, $"{path}.tool_calls") : null;
        string text;
        if (content is { } value)
        {
            text = ReadContent(value, $"{path}.content");
        }
        else if (role == "assistant" && (refusal is not null || calls is not null))
        {
            text = refusal ?? string.Empty;
        }
        else
        {
            throw Invalid($"Missing required parameter: '{path}.content'.", $"{path}.content", "missing_required_parameter");
        }

        var chatRole = role switch
        {
            "user" => ChatRole.User,
            "tool" => ChatRole.Tool,
            _ => ChatRole.Assistant,
        };
        if (chatRole == ChatRole.Tool && string.IsNullOrEmpty(toolCallId))
        {
            throw Invalid($"Missing required parameter: '{path}.tool_call_id'. A tool message answers the call with this id.", $"{path}.tool_call_id", "missing_required_parameter");
        }

        return (role, new ChatTurn(chatRole, text) { ToolCalls = calls, ToolCallId = toolCallId });
    }

    /// <summary>A string, or an array of <c>text</c> parts joined by newlines; any other part is refused by its path.</summary>
    private static string ReadContent(JsonElement content, string path)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw InvalidType(path, "a string or an array of text parts", content);
        }

        var text = new StringBuilder();
        var index = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partPath = $"{path}[{index}]";
            if (part.ValueKind != JsonValueKind.Object)
            {
                throw InvalidType(partPath, "an object", part);
            }

            var type = part.TryGetProperty("type", out var typeValue) ? String(typeValue, $"{partPath}.type") : null;
            if (type is null)
            {
                throw Invalid($"Missing required parameter: '{partPath}.type'.", $"{partPath}.type", "missing_required_parameter");
            }

            if (type != "text")
            {
                throw Invalid($"Content parts of type '{type}' are not supported: AgentApi reads text only. Send '{partPath}' as a text part.", $"{partPath}.type", "invalid_value");
            }

            foreach (var property in Properties(part, partPath))
            {
                if (property.Name is not ("type" or "text"))
                {
                    throw Unrecognized($"{partPath}.{property.Name}");
                }
            }

            var partText = part.TryGetProperty("text", out var textValue) ? String(textValue, $"{partPath}.text") : null;
            if (partText is null)
            {
                throw Invalid($"Missing required parameter: '{partPath}.text'.", $"{partPath}.text", "missing_required_parameter");
            }

            text.Append(index == 0 ? string.Empty : "\n").Append(partText);
            index++;
        }

        return text.ToString();
    }
}
