using System.Text.Json;
using System.Text.Json.Nodes;
using AgentApi.Core.Providers;

namespace AgentApi.Infrastructure.Providers.Anthropic;

/// <summary>
/// A <see cref="ChatRequest"/> as Anthropic's Messages API takes it. What has no counterpart there is dropped (seed,
/// penalties, a schema's name) or refused with a <see cref="ProviderException"/> (JSON mode); docs/providers.md lists both.
/// </summary>
internal static class AnthropicRequestBuilder
{
    /// <summary>Sent when the request sets no output limit: <c>max_tokens</c> is required, and every current Claude model writes at least this many.</summary>
    public const int DefaultMaxTokens = 4096;

    /// <summary>The first message must be the user's; a conversation that opens with the assistant gets this user turn before it.</summary>
    public const string OpeningUserTurn = "(conversation start)";

    private const string User = "user";
    private const string Assistant = "assistant";

    /// <exception cref="ProviderException">The request asks for what the Messages API cannot do (JSON mode), or a tool call's arguments are not a JSON object.</exception>
    public static AnthropicMessagesRequest Build(ProviderChannel channel, ChatRequest request)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(request);
        var sampling = request.Sampling;
        return new AnthropicMessagesRequest(
            request.Model ?? channel.Model,
            request.MaxOutputTokens ?? DefaultMaxTokens,
            Messages(channel, request),
            System: string.IsNullOrEmpty(request.SystemInstruction) ? null : request.SystemInstruction,
            // OpenAI's range is 0–2, Anthropic's 0–1. Claude 4.5 and later reject temperature and top_p together: temperature wins.
            Temperature: request.Temperature is { } temperature ? Math.Clamp(temperature, 0, 1) : null,
            TopP: request.Temperature is null ? sampling.TopP : null,
            StopSequences: sampling.Stop is { Count: > 0 } stop ? stop : null,
            Metadata: request.EndUser is { Length: > 0 } user ? new AnthropicMetadata(user) : null,
            Tools: request.Tools is { } tools ? [.. tools.Tools.Select(ToolOf)] : null,
            ToolChoice: request.Tools is { } set ? ToolChoiceOf(set) : null,
            OutputConfig: request.ResponseFormat is { } format ? OutputConfigOf(channel, format) : null);
    }

    /// <summary>
    /// History, the user's message and the tool turns as alternating messages of content blocks: consecutive turns of one role
    /// become one message (so a tool call's results are one user message right after it, results first), empty text is left out
    /// (the API rejects empty text blocks), and the first message is the user's.
    /// </summary>
    private static List<AnthropicMessage> Messages(ProviderChannel channel, ChatRequest request)
    {
        var messages = new List<(string Role, List<AnthropicContentBlock> Blocks)>();
        void Add(string role, AnthropicContentBlock block)
        {
            if (messages.Count > 0 && messages[^1].Role == role)
            {
                messages[^1].Blocks.Add(block);
            }
            else
            {
                messages.Add((role, [block]));
            }
        }

        void AddTurn(ChatTurn turn)
        {
            switch (turn.Role)
            {
                case ChatRole.Tool:
                    Add(User, AnthropicContentBlock.ToolResult(turn.ToolCallId ?? string.Empty, turn.Text));
                    break;
                case ChatRole.User when turn.Text.Length > 0:
                    Add(User, AnthropicContentBlock.TextBlock(turn.Text));
                    break;
                case ChatRole.Assistant:
                    if (turn.Text.Length > 0)
                    {
                        Add(Assistant, AnthropicContentBlock.TextBlock(turn.Text));
                    }

                    foreach (var call in turn.ToolCalls ?? [])
                    {
                        Add(Assistant, AnthropicContentBlock.ToolUse(call.Id, call.Name, InputOf(channel, call)));
                    }

                    break;
            }
        }

        foreach (var turn in request.History ?? [])
        {
            AddTurn(turn);
        }

        AddTurn(new ChatTurn(ChatRole.User, request.UserMessage));
        foreach (var turn in request.ToolTurns)
        {
            AddTurn(turn);
        }

        if (messages.Count == 0 || messages[0].Role != User)
        {
            messages.Insert(0, (User, [AnthropicContentBlock.TextBlock(OpeningUserTurn)]));
        }

        return [.. messages.Select(message => new AnthropicMessage(message.Role, message.Blocks))];
    }

    /// <summary>A tool call's arguments as the <c>input</c> object the API requires; no arguments are <c>{}</c>.</summary>
    private static JsonElement InputOf(ProviderChannel channel, ToolCall call)
    {
        if (string.IsNullOrWhiteSpace(call.Arguments))
        {
            return ParseJson("{}");
        }

        try
        {
            var input = ParseJson(call.Arguments);
            if (input.ValueKind == JsonValueKind.Object)
            {
                return input;
            }
        }
        catch (JsonException)
        {
            // Reported below, as for any other non-object.
        }

        throw new ProviderException(
            ProviderFailure.Rejected,
            channel.Role,
            channel.Protocol,
            $"The {channel.Role} speaks Anthropic's Messages API, which takes a tool call's arguments as a JSON object; the arguments of call '{call.Id}' in the conversation are not one.");
    }

    private static AnthropicTool ToolOf(ToolDefinition tool) =>
        new(tool.Name, tool.Description, ParseJson(tool.Parameters ?? """{"type":"object","properties":{}}"""), tool.Strict);

    /// <summary>OpenAI's <c>tool_choice</c> and <c>parallel_tool_calls: false</c> (<c>disable_parallel_tool_use</c>, which <c>none</c> does not take).</summary>
    private static AnthropicToolChoice? ToolChoiceOf(ToolSet tools)
    {
        bool? disableParallel = tools.ParallelToolCalls == false ? true : null;
        return tools.Choice?.Mode switch
        {
            ToolChoiceMode.None => new AnthropicToolChoice("none"),
            ToolChoiceMode.Required => new AnthropicToolChoice("any", DisableParallelToolUse: disableParallel),
            ToolChoiceMode.Function => new AnthropicToolChoice("tool", tools.Choice.Name, disableParallel),
            ToolChoiceMode.Auto => new AnthropicToolChoice("auto", DisableParallelToolUse: disableParallel),
            _ => disableParallel is null ? null : new AnthropicToolChoice("auto", DisableParallelToolUse: true),
        };
    }

    /// <summary>
    /// A JSON Schema format as structured outputs (<c>output_config.format</c>); its name, description and strictness have no
    /// counterpart. JSON mode has none at all.
    /// </summary>
    private static AnthropicOutputConfig? OutputConfigOf(ProviderChannel channel, ResponseFormat format) => format.Kind switch
    {
        ResponseFormatKind.JsonSchema when format.Schema is not null => new AnthropicOutputConfig(new AnthropicOutputFormat("json_schema", ClosedSchema(format.Schema))),
        ResponseFormatKind.JsonObject or ResponseFormatKind.JsonSchema => throw new ProviderException(
            ProviderFailure.Rejected,
            channel.Role,
            channel.Protocol,
            $"The {channel.Role} speaks Anthropic's Messages API, which has no JSON mode (response_format json_object): use a json_schema response format with this route, or an OpenAI-compatible executor."),
        _ => null,
    };

    /// <summary>
    /// The schema with <c>additionalProperties: false</c> on every object that does not say otherwise: structured outputs reject an
    /// object schema without it, where OpenAI's non-strict mode takes one (the official SDKs' schema helpers add it the same way).
    /// </summary>
    internal static JsonElement ClosedSchema(string schema)
    {
        var root = JsonNode.Parse(schema);
        Close(root);
        return ParseJson(root?.ToJsonString() ?? "null");
    }

    private static void Close(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject schema:
                if (IsObjectSchema(schema) && !schema.ContainsKey("additionalProperties"))
                {
                    schema["additionalProperties"] = false;
                }

                foreach (var (key, value) in schema.ToList())
                {
                    if (key is "properties" or "$defs" or "definitions" && value is JsonObject named)
                    {
                        foreach (var (_, child) in named)
                        {
                            Close(child);
                        }
                    }
                    else if (key is "items" or "anyOf" or "allOf" or "oneOf" or "not" or "additionalProperties")
                    {
                        Close(value);
                    }
                }

                break;
            case JsonArray variants:
                foreach (var variant in variants)
                {
                    Close(variant);
                }

                break;
        }
    }

    private static bool IsObjectSchema(JsonObject schema) => schema["type"] switch
    {
        JsonValue type => type.GetValueKind() == JsonValueKind.String && type.GetValue<string>() == "object",
        JsonArray types => types.Any(type => type is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() == "object"),
        _ => schema.ContainsKey("properties"),
    };

    /// <summary>The caller's JSON text (checked at the door), to be written into the request as it is.</summary>
    private static JsonElement ParseJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
