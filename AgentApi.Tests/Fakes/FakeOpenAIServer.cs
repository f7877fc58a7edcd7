using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AgentApi.Tests.Fakes;

/// <summary>
/// OpenAI Chat Completions (<c>POST /v1/chat/completions</c>), buffered or streamed (<c>stream: true</c>).
/// </summary>
/// <remarks>
/// Normal behaviour, first failing check wins: <c>Authorization: Bearer</c> key → body is a JSON object → no
/// argument outside the spec's CreateChatCompletionRequest → <c>model</c> present → <c>messages</c> a non-empty array
/// of valid messages → model known → <c>stream</c> a boolean and <c>stream_options</c> only with <c>stream: true</c> → no non-null <c>reasoning_effort</c> on a non-reasoning
/// (gpt-4*/gpt-3.5*) model → 200 with <see cref="FakeProviderServer.Reply"/> applied to the last user message (text
/// parts joined with "\n"), plus x-request-id and x-ratelimit-* headers. Errors use OpenAI's envelope with all four
/// keys. Token counts are word counts; an answer longer than <c>max_completion_tokens</c> (or <c>max_tokens</c>)
/// words is cut with finish_reason <c>length</c>. The response's <c>model</c> is the dated snapshot
/// (gpt-4o-mini → gpt-4o-mini-2024-07-18), as on the real API. With <c>stream: true</c> the answer is a
/// <c>text/event-stream</c> in the real wire format (see <see cref="StreamEvents"/>); <see cref="FakeResponse.Streamed"/>
/// scripts a slow, cut, stalled, malformed or failing stream.
/// <para>
/// Agents: a request with <c>tools</c> (and <c>tool_choice</c> not <c>none</c>) whose last message is not a tool's
/// result is answered with a call of the named tool, or of the first one, with <see cref="ToolArguments"/> (by default
/// a sample of its parameters' schema), <c>content: null</c> and <c>finish_reason: "tool_calls"</c> (<c>"stop"</c> for a
/// named <c>tool_choice</c>, as the real API does); streamed, the call comes in OpenAI's <c>delta.tool_calls</c> pieces.
/// A request whose last message is a tool's result is answered with <see cref="FakeProviderServer.Reply"/> applied to the
/// results. <c>response_format</c> <c>json_schema</c> is answered with a sample of the schema (strings are the reply),
/// <c>json_object</c> with <c>{"answer": reply}</c>. Rejected as the real API rejects them: a <c>tool</c> message that
/// does not answer a call of the assistant message before it, calls left without results, a strict schema whose
/// objects do not list every property as required or allow additional properties, JSON mode without the word "json".
/// </para>
/// </remarks>
public sealed class FakeOpenAIServer : FakeProviderServer
{
    public const string DefaultApiKey = "test-openai-key";
    public const string DefaultModel = "gpt-4o-mini";

    private const string ChatCompletionsPath = "/v1/chat/completions";
    private const string InvalidRequestError = "invalid_request_error";
    private const int RequestsPerMinute = 5000;
    private const int TokensPerMinute = 160_000;

    private static readonly FrozenSet<string> RequestArguments = FrozenSet.ToFrozenSet(
    [
        "audio", "frequency_penalty", "function_call", "functions", "logit_bias", "logprobs", "max_completion_tokens",
        "max_tokens", "messages", "metadata", "modalities", "model", "moderation", "n", "parallel_tool_calls", "prediction",
        "presence_penalty", "prompt_cache_key", "prompt_cache_options", "prompt_cache_retention", "reasoning_effort",
        "response_format", "safety_identifier", "seed", "service_tier", "stop", "store", "stream", "stream_options",
        "temperature", "tool_choice", "tools", "top_logprobs", "top_p", "user", "verbosity", "web_search_options",
    ], StringComparer.Ordinal);

    private static readonly FrozenSet<string> Roles = FrozenSet.ToFrozenSet(
        ["system", "developer", "user", "assistant", "tool"], StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> Snapshots = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["gpt-4o-mini"] = "gpt-4o-mini-2024-07-18",
        ["gpt-4o"] = "gpt-4o-2024-08-06",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly string _apiKey;
    private readonly FrozenSet<string> _models;
    private Func<string, string>? _toolArguments;

    private FakeOpenAIServer(string apiKey, string[] models)
        : base("/v1")
    {
        _apiKey = apiKey;
        _models = (models.Length == 0 ? [DefaultModel] : models).ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>Starts a fake that accepts <paramref name="apiKey"/> and serves <paramref name="models"/> (default: gpt-4o-mini).</summary>
    public static Task<FakeOpenAIServer> StartAsync(string apiKey = DefaultApiKey, params string[] models)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        ArgumentNullException.ThrowIfNull(models);
        return StartServerAsync(new FakeOpenAIServer(apiKey, models));
    }

    /// <summary>
    /// The arguments (JSON text) of the fake's tool calls, given the tool's name; null (the default) for a sample of the
    /// tool's parameters schema. <see cref="FakeProviderServer.Reset"/> leaves it; <c>AgentApiHost.ResetFakes</c> clears it.
    /// </summary>
    public Func<string, string>? ToolArguments
    {
        get => Volatile.Read(ref _toolArguments);
        set => Volatile.Write(ref _toolArguments, value);
    }

    /// <summary>A 200 chat.completion whose assistant message is a refusal (content null), as structured outputs answer one.</summary>
    public static string RefusalBody(string refusal)
    {
        var completion = BuildCompletion("", "stop", 19, 9, Snapshot(DefaultModel));
        var message = completion["choices"]![0]!["message"]!.AsObject();
        message["content"] = null;
        message["refusal"] = refusal;
        return ToJson(completion);
    }

    /// <summary>A 200 chat.completion body with one choice.</summary>
    public static string SuccessBody(string text, string finishReason = "stop", int promptTokens = 19, int completionTokens = 10) =>
        ToJson(BuildCompletion(text, finishReason, promptTokens, completionTokens, Snapshot(DefaultModel)));

    /// <summary>A scripted 500 <c>server_error</c>, as OpenAI reports a server-side failure.</summary>
    public static FakeResponse ServerError() =>
        FakeResponse.Json(500, ErrorBody("The server had an error while processing your request. Sorry about that!", "server_error", null));

    /// <summary>OpenAI's error envelope; <c>param</c> and <c>code</c> are written as null when not given.</summary>
    public static string ErrorBody(string message, string type, string? code, string? param = null) => ToJson(new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["message"] = message,
            ["type"] = type,
            ["param"] = param,
            ["code"] = code,
        },
    });

    /// <summary>A 200 chat.completion with <c>"choices": []</c>, which a client must not index into.</summary>
    public static string EmptyChoicesBody()
    {
        var completion = BuildCompletion("", "stop", 19, 0, Snapshot(DefaultModel));
        completion["choices"] = new JsonArray();
        return ToJson(completion);
    }

    protected override bool IsModelEndpoint(RecordedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return HttpMethods.IsPost(request.Method) && string.Equals(request.Path, ChatCompletionsPath, StringComparison.Ordinal);
    }

    protected override FakeResponse RespondToUnknownEndpoint(RecordedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Error(404, $"Invalid URL ({request.Method} {request.Path})", InvalidRequestError, null);
    }

    protected override FakeResponse Respond(RecordedRequest request) => Respond(request, FakeStreaming.Normal);

    protected override FakeResponse RespondStreamed(RecordedRequest request, FakeStreaming stream) => Respond(request, stream);

    private FakeResponse Respond(RecordedRequest request, FakeStreaming stream)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (CheckApiKey(request) is { } authError)
        {
            return authError;
        }

        if (TryParseObject(request.Body) is not { } body)
        {
            return Error(400, "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)", InvalidRequestError, null);
        }

        return CheckArguments(body)
            ?? CheckMessages(body)
            ?? CheckModel(body)
            ?? CheckStreamOptions(body)
            ?? CheckUnsupportedOptions(body)
            ?? CheckToolExchanges(body)
            ?? CheckTools(body)
            ?? CheckResponseFormat(body)
            ?? Succeed(body, stream);
    }

    private FakeResponse? CheckApiKey(RecordedRequest request)
    {
        const string bearer = "Bearer ";
        if (!request.Headers.TryGetValue("authorization", out var authorization)
            || !authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase)
            || authorization.Length == bearer.Length)
        {
            return Error(401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username. You can obtain an API key from https://platform.openai.com/account/api-keys.", InvalidRequestError, null);
        }

        var key = authorization[bearer.Length..].Trim();
        return string.Equals(key, _apiKey, StringComparison.Ordinal)
            ? null
            : Error(401, $"Incorrect API key provided: {Mask(key)}. You can find your API key at https://platform.openai.com/account/api-keys.", InvalidRequestError, "invalid_api_key");
    }

    private static FakeResponse? CheckArguments(JsonObject body)
    {
        var unknown = body.Select(property => property.Key).Where(name => !RequestArguments.Contains(name)).ToList();
        return unknown.Count switch
        {
            0 => null,
            1 => Error(400, $"Unrecognized request argument supplied: {unknown[0]}", InvalidRequestError, null),
            _ => Error(400, $"Unrecognized request arguments supplied: {string.Join(", ", unknown)}", InvalidRequestError, null),
        };
    }

    private static FakeResponse? CheckMessages(JsonObject body)
    {
        if (StringField(body, "model") is not { Length: > 0 })
        {
            return Error(400, "you must provide a model parameter", InvalidRequestError, null);
        }

        switch (body["messages"])
        {
            case null:
                return Error(400, "Missing required parameter: 'messages'.", InvalidRequestError, "missing_required_parameter", "messages");
            case not JsonArray:
                return InvalidType("messages", "an array of objects", body["messages"]);
            case JsonArray { Count: 0 }:
                return Error(400, "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", InvalidRequestError, "empty_array", "messages");
        }

        var messages = body["messages"]!.AsArray();
        for (var i = 0; i < messages.Count; i++)
        {
            if (CheckMessage(messages[i], $"messages[{i}]") is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private static FakeResponse? CheckMessage(JsonNode? node, string path)
    {
        if (node is not JsonObject message)
        {
            return InvalidType(path, "an object", node);
        }

        var role = StringField(message, "role");
        if (role is null)
        {
            return message["role"] is null
                ? Error(400, $"Missing required parameter: '{path}.role'.", InvalidRequestError, "missing_required_parameter", $"{path}.role")
                : InvalidType($"{path}.role", "a string", message["role"]);
        }

        if (!Roles.Contains(role))
        {
            return Error(400, $"Invalid value: '{role}'. Supported values are: 'system', 'assistant', 'user', 'tool', and 'developer'.", InvalidRequestError, "invalid_value", $"{path}.role");
        }

        switch (message["content"])
        {
            case null when role == "assistant":
                break;
            case null:
                return Error(400, $"Missing required parameter: '{path}.content'.", InvalidRequestError, "missing_required_parameter", $"{path}.content");
            case JsonValue content when content.GetValueKind() == JsonValueKind.String:
                break;
            case JsonArray parts:
                for (var j = 0; j < parts.Count; j++)
                {
                    if (CheckContentPart(parts[j], $"{path}.content[{j}]") is { } error)
                    {
                        return error;
                    }
                }

                break;
            case var other:
                return InvalidType($"{path}.content", "one of a string or array of objects", other);
        }

        if (role == "tool" && StringField(message, "tool_call_id") is null)
        {
            return Error(400, "Missing parameter 'tool_call_id': messages with role 'tool' must have a 'tool_call_id'.", InvalidRequestError, null, $"{path}.tool_call_id");
        }

        return null;
    }

    private static FakeResponse? CheckContentPart(JsonNode? node, string path)
    {
        if (node is not JsonObject part)
        {
            return InvalidType(path, "an object", node);
        }

        var type = StringField(part, "type");
        if (type is null)
        {
            return Error(400, $"Missing required parameter: '{path}.type'.", InvalidRequestError, "missing_required_parameter", $"{path}.type");
        }

        if (type is not ("text" or "image_url" or "input_audio" or "file" or "refusal"))
        {
            return Error(400, $"Invalid value: '{type}'. Supported values are: 'text', 'image_url', 'input_audio', 'refusal', and 'file'.", InvalidRequestError, "invalid_value", $"{path}.type");
        }

        return type == "text" && StringField(part, "text") is null
            ? Error(400, $"Missing required parameter: '{path}.text'.", InvalidRequestError, "missing_required_parameter", $"{path}.text")
            : null;
    }

    private FakeResponse? CheckModel(JsonObject body)
    {
        var model = StringField(body, "model")!;
        return _models.Contains(model)
            ? null
            : Error(404, $"The model `{model}` does not exist or you do not have access to it.", InvalidRequestError, "model_not_found");
    }

    /// <summary>
    /// <c>stream</c> must be a boolean, and <c>stream_options</c> an object that is only allowed with <c>stream: true</c>
    /// (the real API rejects it otherwise: a non-streamed request that sends it is a client bug).
    /// </summary>
    private static FakeResponse? CheckStreamOptions(JsonObject body)
    {
        var stream = body["stream"];
        if (stream is not null && stream.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            return InvalidType("stream", "a boolean", stream);
        }

        var options = body["stream_options"];
        if (options is null)
        {
            return null;
        }

        if (stream?.GetValueKind() != JsonValueKind.True)
        {
            return Error(400, "The 'stream_options' parameter is only allowed when 'stream' is enabled.", InvalidRequestError, null, "stream_options");
        }

        if (options is not JsonObject streamOptions)
        {
            return InvalidType("stream_options", "an object", options);
        }

        return streamOptions["include_usage"] is { } includeUsage && includeUsage.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False)
            ? InvalidType("stream_options.include_usage", "a boolean", includeUsage)
            : null;
    }

    private static FakeResponse? CheckUnsupportedOptions(JsonObject body)
    {
        // The spec lists reasoning_effort for every model, but non-reasoning models reject it unless it is null.
        var model = StringField(body, "model")!;
        var isReasoningModel = !(model.StartsWith("gpt-4", StringComparison.Ordinal) || model.StartsWith("gpt-3.5", StringComparison.Ordinal));
        return body["reasoning_effort"] is not null && !isReasoningModel
            ? Error(400, "Unrecognized request argument supplied: reasoning_effort", InvalidRequestError, null)
            : null;
    }

    /// <summary>
    /// A <c>tool</c> message answers a call of the assistant message it follows (directly or after other results of it),
    /// and every call is answered before the conversation goes on: the real API's two 400s, with its wording (and typo).
    /// </summary>
    private static FakeResponse? CheckToolExchanges(JsonObject body)
    {
        var messages = body["messages"]!.AsArray();
        HashSet<string>? pending = null;
        HashSet<string>? calls = null;
        var caller = -1;
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i]!.AsObject();
            var role = StringField(message, "role");
            if (role is "system" or "developer")
            {
                continue;
            }

            if (role == "tool")
            {
                var id = StringField(message, "tool_call_id")!;
                if (calls is null || !calls.Contains(id))
                {
                    return Error(400, "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.", InvalidRequestError, null, $"messages.[{i}].role");
                }

                pending!.Remove(id);
                continue;
            }

            if (pending is { Count: > 0 })
            {
                return UnansweredCalls(pending, caller);
            }

            calls = message["tool_calls"] is JsonArray made
                ? [.. made.OfType<JsonObject>().Select(call => StringField(call, "id") ?? "")]
                : null;
            pending = calls is null ? null : [.. calls];
            caller = i;
        }

        return pending is { Count: > 0 } && StringField(messages[^1]!.AsObject(), "role") == "tool" ? UnansweredCalls(pending, caller) : null;
    }

    private static FakeResponse UnansweredCalls(IEnumerable<string> ids, int caller) =>
        Error(400, $"An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: {string.Join(", ", ids)}",
            InvalidRequestError, null, $"messages.[{caller}].role");

    /// <summary>Function tools only; a strict one's parameters must meet structured outputs' rules.</summary>
    private static FakeResponse? CheckTools(JsonObject body)
    {
        if (body["tools"] is not JsonArray tools)
        {
            return body["tool_choice"] is JsonValue choice && choice.GetValueKind() == JsonValueKind.String && AsString(choice) != "none"
                ? Error(400, "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.", InvalidRequestError, null, "tool_choice")
                : null;
        }

        for (var i = 0; i < tools.Count; i++)
        {
            if (tools[i] is not JsonObject { } tool || StringField(tool, "type") != "function" || tool["function"] is not JsonObject function || StringField(function, "name") is not { Length: > 0 } name)
            {
                return Error(400, $"Missing required parameter: 'tools[{i}].function'.", InvalidRequestError, "missing_required_parameter", $"tools[{i}].function");
            }

            if (function["strict"] is JsonValue strict && strict.GetValueKind() == JsonValueKind.True && StrictSchemaProblem(function["parameters"], "()") is { } problem)
            {
                return Error(400, $"Invalid schema for function '{name}': In context={problem}", InvalidRequestError, "invalid_function_parameters", $"tools[{i}].function.parameters");
            }
        }

        return null;
    }

    /// <summary>Structured outputs need a name and a schema; a strict schema must meet its rules; JSON mode needs "json" in the messages.</summary>
    private static FakeResponse? CheckResponseFormat(JsonObject body)
    {
        if (body["response_format"] is not JsonObject format)
        {
            return null;
        }

        var type = StringField(format, "type");
        if (type == "json_object" && !body["messages"]!.AsArray().OfType<JsonObject>().Any(message => TextOf(message).Contains("json", StringComparison.OrdinalIgnoreCase)))
        {
            return Error(400, "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.", InvalidRequestError, null, "messages");
        }

        if (type != "json_schema")
        {
            return null;
        }

        if (format["json_schema"] is not JsonObject schema)
        {
            return Error(400, "Missing required parameter: 'response_format.json_schema'.", InvalidRequestError, "missing_required_parameter", "response_format.json_schema");
        }

        if (StringField(schema, "name") is not { Length: > 0 } name)
        {
            return Error(400, "Missing required parameter: 'response_format.json_schema.name'.", InvalidRequestError, "missing_required_parameter", "response_format.json_schema.name");
        }

        return schema["strict"] is JsonValue strict && strict.GetValueKind() == JsonValueKind.True && StrictSchemaProblem(schema["schema"], "()") is { } problem
            ? Error(400, $"Invalid schema for response_format '{name}': In context={problem}", InvalidRequestError, "invalid_json_schema", "response_format")
            : null;
    }

    /// <summary>Structured outputs' rules for a strict schema: every object lists all its properties in <c>required</c> and sets <c>additionalProperties: false</c>.</summary>
    private static string? StrictSchemaProblem(JsonNode? node, string context)
    {
        if (node is not JsonObject schema)
        {
            return null;
        }

        if (StringField(schema, "type") == "object")
        {
            if (schema["additionalProperties"] is not JsonValue additional || additional.GetValueKind() != JsonValueKind.False)
            {
                return $"{context}, 'additionalProperties' is required to be supplied and to be false.";
            }

            var properties = schema["properties"] as JsonObject ?? [];
            var required = (schema["required"] as JsonArray ?? []).Select(AsString).ToHashSet();
            if (properties.Select(property => property.Key).FirstOrDefault(key => !required.Contains(key)) is { } missing)
            {
                return $"{context}, 'required' is required to be supplied and to be an array including every key in properties. Missing '{missing}'.";
            }

            foreach (var (key, value) in properties)
            {
                if (StrictSchemaProblem(value, $"('properties', '{key}')") is { } problem)
                {
                    return problem;
                }
            }
        }

        return schema["items"] is { } items ? StrictSchemaProblem(items, "('items')") : null;
    }

    private FakeResponse Succeed(JsonObject body, FakeStreaming stream)
    {
        var messages = body["messages"]!.AsArray().OfType<JsonObject>().ToList();
        var lastUser = messages.LastOrDefault(message => StringField(message, "role") == "user");
        var toolResults = messages.AsEnumerable().Reverse().TakeWhile(message => StringField(message, "role") == "tool").Reverse().ToList();
        var answer = toolResults.Count > 0
            ? Reply(string.Join('\n', toolResults.Select(TextOf)))
            : Reply(lastUser is null ? "" : TextOf(lastUser));
        if (toolResults.Count == 0 && ToolToCall(body) is { } toolCall)
        {
            return CallTool(body, messages, toolCall, stream);
        }

        answer = body["response_format"] is JsonObject format ? Formatted(format, answer) : answer;
        var finishReason = "stop";
        var maxTokens = body["max_completion_tokens"] ?? body["max_tokens"];
        int? limit = maxTokens is JsonValue value && value.TryGetValue<int>(out var max) ? max : null;
        if (TryTruncateToWords(answer, limit, out var truncated))
        {
            answer = truncated;
            finishReason = "length";
        }

        var promptTokens = messages.Sum(message => CountWords(TextOf(message)));
        var model = StringField(body, "model")!;
        (string Name, string Value)[] headers =
        [
            .. ResponseHeaders(),
            ("openai-processing-ms", "312"),
            ("x-ratelimit-limit-requests", Invariant(RequestsPerMinute)),
            ("x-ratelimit-limit-tokens", Invariant(TokensPerMinute)),
            ("x-ratelimit-remaining-requests", Invariant(Math.Max(0, RequestsPerMinute - CallCount))),
            ("x-ratelimit-remaining-tokens", Invariant(Math.Max(0, TokensPerMinute - promptTokens))),
            ("x-ratelimit-reset-requests", "12ms"),
            ("x-ratelimit-reset-tokens", "9ms"),
        ];
        if (body["stream"] is JsonValue streamFlag && streamFlag.GetValueKind() == JsonValueKind.True)
        {
            var includeUsage = body["stream_options"] is JsonObject options && options["include_usage"] is JsonValue include && include.GetValueKind() == JsonValueKind.True;
            return FakeResponse.EventStream(StreamEvents(answer, finishReason, promptTokens, Snapshot(model), includeUsage), stream, headers);
        }

        var completion = BuildCompletion(answer, finishReason, promptTokens, CountWords(answer), Snapshot(model));
        return FakeResponse.Json(200, ToJson(completion), headers);
    }

    /// <summary>The tool the fake calls: the named <c>tool_choice</c>, else the first tool unless <c>tool_choice</c> is <c>none</c>.</summary>
    private static JsonObject? ToolToCall(JsonObject body)
    {
        if (body["tools"] is not JsonArray { Count: > 0 } tools || AsString(body["tool_choice"]) == "none")
        {
            return null;
        }

        var named = body["tool_choice"] is JsonObject choice ? StringField(choice["function"]!.AsObject(), "name") : null;
        var functions = tools.OfType<JsonObject>().Select(tool => tool["function"]!.AsObject()).ToList();
        return named is null ? functions[0] : functions.FirstOrDefault(function => StringField(function, "name") == named);
    }

    private FakeResponse CallTool(JsonObject body, List<JsonObject> messages, JsonObject function, FakeStreaming stream)
    {
        var name = StringField(function, "name")!;
        var arguments = ToolArguments?.Invoke(name) ?? ToJson(Sample(function["parameters"], "example"));
        var id = "call_" + RandomString(24);
        var finishReason = body["tool_choice"] is JsonObject ? "stop" : "tool_calls";
        var promptTokens = messages.Sum(message => CountWords(TextOf(message)));
        var model = Snapshot(StringField(body, "model")!);
        if (body["stream"] is JsonValue streamFlag && streamFlag.GetValueKind() == JsonValueKind.True)
        {
            var includeUsage = body["stream_options"] is JsonObject options && options["include_usage"] is JsonValue include && include.GetValueKind() == JsonValueKind.True;
            return FakeResponse.EventStream(ToolCallStreamEvents(id, name, arguments, finishReason, promptTokens, model, includeUsage), stream, ResponseHeaders());
        }

        var completion = BuildCompletion("", finishReason, promptTokens, CountWords(arguments), model);
        var message = completion["choices"]![0]!["message"]!.AsObject();
        message["content"] = null;
        message["tool_calls"] = new JsonArray(new JsonObject
        {
            ["id"] = id,
            ["type"] = "function",
            ["function"] = new JsonObject { ["name"] = name, ["arguments"] = arguments },
        });
        return FakeResponse.Json(200, ToJson(completion), ResponseHeaders());
    }

    /// <summary>The answer in the requested format: a sample of the JSON Schema with <paramref name="reply"/> in its strings, or <c>{"answer": reply}</c> in JSON mode.</summary>
    private static string Formatted(JsonObject format, string reply) => StringField(format, "type") switch
    {
        "json_schema" => ToJson(Sample(format["json_schema"]?["schema"], reply)),
        "json_object" => ToJson(new JsonObject { ["answer"] = reply }),
        _ => reply,
    };

    /// <summary>
    /// A tool call as OpenAI streams it: a role chunk carrying the call's id, type, name and empty arguments, the
    /// arguments in pieces of a few characters, the finish chunk, the usage chunk with <c>include_usage</c>, <c>[DONE]</c>.
    /// </summary>
    public static IReadOnlyList<string> ToolCallStreamEvents(string id, string name, string arguments, string finishReason, int promptTokens, string model, bool includeUsage)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        List<JsonObject> deltas =
        [
            new()
            {
                ["role"] = "assistant",
                ["content"] = null,
                ["tool_calls"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["id"] = id,
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = name, ["arguments"] = "" },
                }),
                ["refusal"] = null,
            },
        ];
        for (var start = 0; start < arguments.Length; start += 4)
        {
            var piece = arguments.Substring(start, Math.Min(4, arguments.Length - start));
            deltas.Add(new JsonObject { ["tool_calls"] = new JsonArray(new JsonObject { ["index"] = 0, ["function"] = new JsonObject { ["arguments"] = piece } }) });
        }

        return Stream(deltas, finishReason, promptTokens, CountWords(arguments), model, includeUsage);
    }

    /// <summary>
    /// The answer as OpenAI streams it: a role chunk with empty content, one chunk per word (with its leading space),
    /// a chunk with an empty delta and the finish reason, with <c>include_usage</c> a last chunk with <c>"choices": []</c>
    /// and the usage (every other chunk then has <c>"usage": null</c>), and <c>[DONE]</c>. The usage counts the answer's
    /// words as its completion tokens unless <paramref name="completionTokens"/> says otherwise.
    /// </summary>
    public static IReadOnlyList<string> StreamEvents(string answer, string finishReason, int promptTokens, string model, bool includeUsage, int? completionTokens = null)
    {
        ArgumentNullException.ThrowIfNull(answer);
        List<JsonObject> deltas = [new JsonObject { ["role"] = "assistant", ["content"] = "", ["refusal"] = null }];
        var words = answer.Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            var piece = i == 0 ? words[i] : " " + words[i];
            if (piece.Length > 0)
            {
                deltas.Add(new JsonObject { ["content"] = piece });
            }
        }

        return Stream(deltas, finishReason, promptTokens, completionTokens ?? CountWords(answer), model, includeUsage);
    }

    /// <summary>Chunks of <paramref name="deltas"/>, then the finish chunk, the usage chunk with <c>include_usage</c> (every other chunk then has <c>"usage": null</c>), and <c>[DONE]</c>.</summary>
    private static List<string> Stream(IReadOnlyList<JsonObject> deltas, string finishReason, int promptTokens, int completionTokens, string model, bool includeUsage)
    {
        var id = "chatcmpl-" + RandomString(29);
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var fingerprint = "fp_" + RandomString(10, "0123456789abcdef");
        JsonObject Chunk(JsonArray choices, JsonNode? usage)
        {
            var chunk = new JsonObject
            {
                ["id"] = id,
                ["object"] = "chat.completion.chunk",
                ["created"] = created,
                ["model"] = model,
                ["service_tier"] = "default",
                ["system_fingerprint"] = fingerprint,
                ["choices"] = choices,
            };
            if (includeUsage)
            {
                chunk["usage"] = usage;
            }

            return chunk;
        }

        JsonArray Choice(JsonObject delta, string? finish) =>
            new(new JsonObject { ["index"] = 0, ["delta"] = delta, ["logprobs"] = null, ["finish_reason"] = finish });

        List<string> events = [.. deltas.Select(delta => ToJson(Chunk(Choice(delta, null), null)))];
        events.Add(ToJson(Chunk(Choice([], finishReason), null)));
        if (includeUsage)
        {
            events.Add(ToJson(Chunk([], new JsonObject
            {
                ["prompt_tokens"] = promptTokens,
                ["completion_tokens"] = completionTokens,
                ["total_tokens"] = promptTokens + completionTokens,
                ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = 0, ["audio_tokens"] = 0 },
                ["completion_tokens_details"] = new JsonObject { ["reasoning_tokens"] = 0, ["audio_tokens"] = 0, ["accepted_prediction_tokens"] = 0, ["rejected_prediction_tokens"] = 0 },
            })));
        }

        events.Add("[DONE]");
        return events;
    }

    private static JsonObject BuildCompletion(string text, string finishReason, int promptTokens, int completionTokens, string model) => new()
    {
        ["id"] = "chatcmpl-" + RandomString(29),
        ["object"] = "chat.completion",
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["model"] = model,
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = new JsonObject
            {
                ["role"] = "assistant",
                ["content"] = text,
                ["refusal"] = null,
                ["annotations"] = new JsonArray(),
            },
            ["logprobs"] = null,
            ["finish_reason"] = finishReason,
        }),
        ["usage"] = new JsonObject
        {
            ["prompt_tokens"] = promptTokens,
            ["completion_tokens"] = completionTokens,
            ["total_tokens"] = promptTokens + completionTokens,
            ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = 0, ["audio_tokens"] = 0 },
            ["completion_tokens_details"] = new JsonObject
            {
                ["reasoning_tokens"] = 0,
                ["audio_tokens"] = 0,
                ["accepted_prediction_tokens"] = 0,
                ["rejected_prediction_tokens"] = 0,
            },
        },
        ["service_tier"] = "default",
        ["system_fingerprint"] = "fp_" + RandomString(10, "0123456789abcdef"),
    };

    private static FakeResponse Error(int status, string message, string type, string? code, string? param = null) =>
        FakeResponse.Json(status, ErrorBody(message, type, code, param), ResponseHeaders());

    private static FakeResponse InvalidType(string path, string expected, JsonNode? actual)
    {
        var kind = actual?.GetValueKind() switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            _ => "null",
        };
        return Error(400, $"Invalid type for '{path}': expected {expected}, but got {kind} instead.", InvalidRequestError, "invalid_type", path);
    }

    private static (string Name, string Value)[] ResponseHeaders() =>
    [
        ("x-request-id", "req_" + RandomString(32, "0123456789abcdef")),
        ("openai-organization", "user-fake"),
        ("openai-version", "2020-10-01"),
    ];

    /// <summary>OpenAI never echoes a wrong key in full: the first 3 and last 4 characters only.</summary>
    private static string Mask(string key) => key.Length < 8 ? "*****" : string.Concat(key.AsSpan(0, 3), "*****", key.AsSpan(key.Length - 4));

    private static string Snapshot(string model) => Snapshots.GetValueOrDefault(model, model);

    private static string TextOf(JsonObject message) => message["content"] switch
    {
        JsonValue content when content.GetValueKind() == JsonValueKind.String => content.GetValue<string>(),
        JsonArray parts => string.Join('\n', parts.OfType<JsonObject>().Where(part => StringField(part, "type") == "text").Select(part => StringField(part, "text"))),
        _ => "",
    };

    private static string? StringField(JsonObject obj, string name) => AsString(obj[name]);

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
