using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace AgentApi.Tests.Fakes;

/// <summary>
/// Anthropic's Messages API (<c>POST /v1/messages</c>), buffered or streamed (<c>stream: true</c>), as the official SDKs
/// send and read it (see shared/reference/anthropic/wire-format.md and docs/providers.md).
/// </summary>
/// <remarks>
/// Normal behaviour, first failing check wins: <c>anthropic-version</c> header (400 <c>invalid_request_error</c>) → key in
/// <c>x-api-key</c> or <c>Authorization: Bearer</c> (401 <c>authentication_error</c>) → body is a JSON object → no top-level
/// field outside <c>MessageCreateParams</c> (<c>"&lt;field&gt;: Extra inputs are not permitted"</c>) → <c>model</c> and
/// <c>max_tokens</c> present → <c>messages</c> non-empty, roles <c>user</c>/<c>assistant</c> only (a <c>system</c> turn is
/// a wrong role: system is top-level), the first a user's, no empty text → <c>temperature</c> 0–1 → every <c>tool_use</c>
/// answered by <c>tool_result</c> blocks at the start of the next message, every <c>tool_result</c> answering a
/// <c>tool_use</c> of the message before → tools and <c>tool_choice</c> well-formed → a structured-outputs schema whose
/// objects all say <c>additionalProperties: false</c> → model known (404 <c>not_found_error</c>) → 200.
/// <para>
/// The answer is <see cref="FakeProviderServer.Reply"/> applied to the last user turn's text blocks (or, when that turn
/// carries <c>tool_result</c> blocks, to the results), cut at the first stop sequence (<c>stop_sequence</c>) or to
/// <c>max_tokens</c> words (<c>max_tokens</c>). With <c>tools</c> (and <c>tool_choice</c> not <c>none</c>) a turn that is
/// not a tool result is answered with a <c>tool_use</c> of the named tool, or of the first one, whose input is
/// <see cref="ToolArguments"/> (by default a sample of its <c>input_schema</c>), <c>stop_reason: "tool_use"</c>. With
/// <c>output_config.format</c> the answer is a sample of the schema. Token counts are word counts; the response's
/// <c>model</c> is the dated snapshot (claude-haiku-4-5 → claude-haiku-4-5-20251001). Every answer carries
/// <c>request-id</c>. Streamed: <c>event:</c>/<c>data:</c> frames (<see cref="StreamEvents"/>), played as
/// <see cref="FakeResponse.Streamed"/> says; its <see cref="FakeStreaming.ErrorAfter"/> is an <c>event: error</c> with
/// <c>overloaded_error</c>, its <see cref="FakeStreaming.OmitDone"/> leaves out <c>message_stop</c>.
/// </para>
/// </remarks>
public sealed partial class FakeAnthropicServer : FakeProviderServer
{
    public const string DefaultApiKey = "test-anthropic-key";
    public const string DefaultModel = "claude-haiku-4-5";

    private const string MessagesPath = "/v1/messages";
    private const string InvalidRequestError = "invalid_request_error";

    /// <summary>The top-level fields of <c>MessageCreateParams</c> (Python SDK 0.121.0, .NET SDK 13.15.0).</summary>
    private static readonly FrozenSet<string> RequestFields = FrozenSet.ToFrozenSet(
    [
        "model", "messages", "max_tokens", "cache_control", "container", "diagnostics", "inference_geo", "metadata",
        "output_config", "service_tier", "speed", "stop_sequences", "stream", "system", "temperature", "thinking",
        "tool_choice", "tools", "top_k", "top_p",
    ], StringComparer.Ordinal);

    private static readonly FrozenSet<string> BlockTypes = FrozenSet.ToFrozenSet(
        ["text", "image", "document", "search_result", "tool_use", "tool_result", "thinking", "redacted_thinking"], StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> Snapshots = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["claude-haiku-4-5"] = "claude-haiku-4-5-20251001",
        ["claude-sonnet-4-5"] = "claude-sonnet-4-5-20250929",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly string _apiKey;
    private readonly FrozenSet<string> _models;
    private Func<string, string>? _toolArguments;

    private FakeAnthropicServer(string apiKey, string[] models)
        : base("/v1")
    {
        _apiKey = apiKey;
        var served = models.Length == 0 ? [DefaultModel] : models;
        _models = served.Concat(served.Select(Snapshot)).ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>Starts a fake that accepts <paramref name="apiKey"/> and serves <paramref name="models"/> (default: claude-haiku-4-5 and its snapshot).</summary>
    public static Task<FakeAnthropicServer> StartAsync(string apiKey = DefaultApiKey, params string[] models)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        ArgumentNullException.ThrowIfNull(models);
        return StartServerAsync(new FakeAnthropicServer(apiKey, models));
    }

    /// <summary>The input (JSON object text) of the fake's <c>tool_use</c> blocks, given the tool's name; null (the default) for a sample of its <c>input_schema</c>.</summary>
    public Func<string, string>? ToolArguments
    {
        get => Volatile.Read(ref _toolArguments);
        set => Volatile.Write(ref _toolArguments, value);
    }

    /// <summary>The SDKs' <c>ErrorResponse</c>: <c>{"type":"error","error":{"type","message"},"request_id"}</c>.</summary>
    public static string ErrorBody(string type, string message) => ToJson(new JsonObject
    {
        ["type"] = "error",
        ["error"] = new JsonObject { ["type"] = type, ["message"] = message },
        ["request_id"] = NewRequestId(),
    });

    /// <summary>A scripted 400 <c>invalid_request_error</c>.</summary>
    public static FakeResponse InvalidRequest(string message) => Error(400, InvalidRequestError, message);

    /// <summary>The 400 the API answers when the account's credit is used up (an <c>invalid_request_error</c>, not a 402).</summary>
    public static FakeResponse CreditBalanceTooLow() =>
        InvalidRequest("Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.");

    /// <summary>A scripted 401 <c>authentication_error</c>, as for a wrong key.</summary>
    public static FakeResponse AuthenticationError() => Error(401, "authentication_error", "invalid x-api-key");

    /// <summary>A scripted 402 <c>billing_error</c>.</summary>
    public static FakeResponse BillingError() => Error(402, "billing_error", "Your account has a billing issue. Please visit Plans & Billing to resolve it.");

    /// <summary>A scripted 403 <c>permission_error</c>.</summary>
    public static FakeResponse PermissionError() => Error(403, "permission_error", "Your API key does not have permission to use the specified resource.");

    /// <summary>A scripted 404 <c>not_found_error</c> for a model.</summary>
    public static FakeResponse NotFound(string model = "claude-unknown") => Error(404, "not_found_error", $"model: {model}");

    /// <summary>A scripted 429 <c>rate_limit_error</c> with <c>retry-after</c> in seconds, as the API sends it.</summary>
    public static FakeResponse RateLimited(int retryAfterSeconds) => Error(
        429,
        "rate_limit_error",
        "This request would exceed the rate limit for your organization of 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later. You may also contact sales at https://www.anthropic.com/contact-sales to discuss your options for a rate limit increase.",
        ("retry-after", retryAfterSeconds.ToString(CultureInfo.InvariantCulture)),
        ("anthropic-ratelimit-requests-limit", "50"),
        ("anthropic-ratelimit-requests-remaining", "0"));

    /// <summary>A scripted 500 <c>api_error</c>.</summary>
    public static FakeResponse ApiError() => Error(500, "api_error", "Internal server error");

    /// <summary>A scripted 529 <c>overloaded_error</c>: Anthropic is overloaded.</summary>
    public static FakeResponse Overloaded() => Error(529, "overloaded_error", "Overloaded");

    /// <summary>A 200 <c>message</c> with one text block.</summary>
    public static string SuccessBody(string text, string stopReason = "end_turn", int inputTokens = 12, int outputTokens = 8) =>
        ToJson(BuildMessage([TextBlock(text)], stopReason, null, inputTokens, outputTokens, Snapshot(DefaultModel)));

    /// <summary>The events of a text answer, one <c>text_delta</c> per word (see <see cref="Stream"/>).</summary>
    public static IReadOnlyList<string> StreamEvents(string answer, string stopReason, int inputTokens, string model, string? stopSequence = null)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var words = answer.Split(' ');
        var pieces = new List<JsonObject>();
        for (var i = 0; i < words.Length; i++)
        {
            var piece = i == 0 ? words[i] : " " + words[i];
            if (piece.Length > 0)
            {
                pieces.Add(new JsonObject { ["type"] = "text_delta", ["text"] = piece });
            }
        }

        return Stream(new JsonObject { ["type"] = "text", ["text"] = "" }, pieces, stopReason, stopSequence, inputTokens, CountWords(answer), model);
    }

    /// <summary>The events of a <c>tool_use</c> answer: the block with empty input, then its JSON in <c>input_json_delta</c> pieces (the first one empty, as the API sends it).</summary>
    public static IReadOnlyList<string> ToolUseStreamEvents(string id, string name, string input, int inputTokens, string model)
    {
        ArgumentNullException.ThrowIfNull(input);
        var pieces = new List<JsonObject> { new() { ["type"] = "input_json_delta", ["partial_json"] = "" } };
        for (var start = 0; start < input.Length; start += 5)
        {
            pieces.Add(new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = input.Substring(start, Math.Min(5, input.Length - start)) });
        }

        var block = new JsonObject { ["type"] = "tool_use", ["id"] = id, ["name"] = name, ["input"] = new JsonObject(), ["caller"] = DirectCaller() };
        return Stream(block, pieces, "tool_use", null, inputTokens, CountWords(input), model);
    }

    protected override bool IsModelEndpoint(RecordedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return HttpMethods.IsPost(request.Method) && string.Equals(request.Path, MessagesPath, StringComparison.Ordinal);
    }

    protected override FakeResponse RespondToUnknownEndpoint(RecordedRequest request) => Error(404, "not_found_error", "Not Found");

    protected override FakeResponse Respond(RecordedRequest request) => Respond(request, FakeStreaming.Normal);

    protected override FakeResponse RespondStreamed(RecordedRequest request, FakeStreaming stream) => Respond(request, stream);

    protected override string InBandError => """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""";

    /// <summary>Anthropic names each event after its data's <c>type</c> (found in cut-off data too, where it comes first).</summary>
    protected override string EventText(string data) =>
        TypeField().Match(data) is { Success: true } match ? $"event: {match.Groups["type"].Value}\ndata: {data}\n\n" : $"data: {data}\n\n";

    protected override bool IsLastEvent(string data) => TypeField().Match(data) is { Success: true } match && match.Groups["type"].Value == "message_stop";

    private FakeResponse Respond(RecordedRequest request, FakeStreaming stream)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Headers.TryGetValue("anthropic-version", out var version) || version.Length == 0)
        {
            return InvalidRequest("anthropic-version: header is required");
        }

        if (CheckApiKey(request) is { } authError)
        {
            return authError;
        }

        if (TryParseObject(request.Body) is not { } body)
        {
            return InvalidRequest("There was an error parsing the body of your request: the body is not a JSON object.");
        }

        return CheckFields(body)
            ?? CheckMessages(body)
            ?? CheckSampling(body)
            ?? CheckToolExchanges(body)
            ?? CheckTools(body)
            ?? CheckOutputConfig(body)
            ?? CheckModel(body)
            ?? Succeed(body, stream);
    }

    private FakeResponse? CheckApiKey(RecordedRequest request)
    {
        const string bearer = "Bearer ";
        var key = request.Headers.TryGetValue("x-api-key", out var header) ? header
            : request.Headers.TryGetValue("authorization", out var authorization) && authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) ? authorization[bearer.Length..].Trim()
            : null;
        return key switch
        {
            null or "" => Error(401, "authentication_error", "x-api-key header is required"),
            _ when string.Equals(key, _apiKey, StringComparison.Ordinal) => null,
            _ => Error(401, "authentication_error", "invalid x-api-key"),
        };
    }

    private static FakeResponse? CheckFields(JsonObject body)
    {
        if (body.Select(property => property.Key).FirstOrDefault(name => !RequestFields.Contains(name)) is { } unknown)
        {
            return InvalidRequest($"{unknown}: Extra inputs are not permitted");
        }

        if (AsString(body["model"]) is not { Length: > 0 })
        {
            return InvalidRequest("model: Field required");
        }

        return body["max_tokens"] switch
        {
            null => InvalidRequest("max_tokens: Field required"),
            JsonValue value when value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var max) => max < 0
                ? InvalidRequest("max_tokens: Input should be greater than or equal to 0")
                : null,
            _ => InvalidRequest("max_tokens: Input should be a valid integer"),
        };
    }

    private static FakeResponse? CheckMessages(JsonObject body)
    {
        if (body["system"] is { } system && system.GetValueKind() != JsonValueKind.String && system is not JsonArray)
        {
            return InvalidRequest("system: Input should be a valid string");
        }

        if (body["messages"] is not JsonArray messages)
        {
            return InvalidRequest(body["messages"] is null ? "messages: Field required" : "messages: Input should be a valid list");
        }

        if (messages.Count == 0)
        {
            return InvalidRequest("messages: at least one message is required");
        }

        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i] is not JsonObject message)
            {
                return InvalidRequest($"messages.{i}: Input should be a valid dictionary");
            }

            if (AsString(message["role"]) is not ("user" or "assistant"))
            {
                return InvalidRequest($"messages.{i}.role: Input should be 'user' or 'assistant'");
            }

            if (CheckContent(message, i, isLast: i == messages.Count - 1) is { } error)
            {
                return error;
            }
        }

        return AsString(messages[0]!["role"]) == "user" ? null : InvalidRequest("messages: first message must use the \"user\" role");
    }

    private static FakeResponse? CheckContent(JsonObject message, int i, bool isLast)
    {
        var finalAssistant = isLast && AsString(message["role"]) == "assistant";
        switch (message["content"])
        {
            case JsonValue content when content.GetValueKind() == JsonValueKind.String:
                return content.GetValue<string>().Length == 0 && !finalAssistant
                    ? InvalidRequest($"messages.{i}: all messages must have non-empty content except for the optional final assistant message")
                    : null;
            case JsonArray blocks:
                if (blocks.Count == 0 && !finalAssistant)
                {
                    return InvalidRequest($"messages.{i}: all messages must have non-empty content except for the optional final assistant message");
                }

                for (var j = 0; j < blocks.Count; j++)
                {
                    if (CheckBlock(blocks[j], $"messages.{i}.content.{j}") is { } error)
                    {
                        return error;
                    }
                }

                return null;
            case null:
                return InvalidRequest($"messages.{i}.content: Field required");
            default:
                return InvalidRequest($"messages.{i}.content: Input should be a valid list");
        }
    }

    private static FakeResponse? CheckBlock(JsonNode? node, string path)
    {
        if (node is not JsonObject block || AsString(block["type"]) is not { } type || !BlockTypes.Contains(type))
        {
            return InvalidRequest($"{path}: Input tag '{(node as JsonObject)?["type"]}' found using 'type' does not match any of the expected tags: {string.Join(", ", BlockTypes.Select(tag => $"'{tag}'"))}");
        }

        return type switch
        {
            "text" when AsString(block["text"]) is not { Length: > 0 } => InvalidRequest("messages: text content blocks must be non-empty"),
            "tool_use" when AsString(block["id"]) is null || AsString(block["name"]) is null => InvalidRequest($"{path}.tool_use.id: Field required"),
            "tool_use" when block["input"] is not JsonObject => InvalidRequest($"{path}.tool_use.input: Input should be a valid dictionary"),
            "tool_result" when AsString(block["tool_use_id"]) is null => InvalidRequest($"{path}.tool_result.tool_use_id: Field required"),
            _ => null,
        };
    }

    private static FakeResponse? CheckSampling(JsonObject body)
    {
        foreach (var name in (string[])["temperature", "top_p"])
        {
            if (body[name] is not { } node)
            {
                continue;
            }

            if (node.GetValueKind() != JsonValueKind.Number)
            {
                return InvalidRequest($"{name}: Input should be a valid number");
            }

            var value = node.GetValue<double>();
            if (value < 0 || value > 1)
            {
                return InvalidRequest(value < 0 ? $"{name}: Input should be greater than or equal to 0" : $"{name}: Input should be less than or equal to 1");
            }
        }

        return body["stop_sequences"] is { } stop && stop is not JsonArray ? InvalidRequest("stop_sequences: Input should be a valid list") : null;
    }

    /// <summary>
    /// The API's two tool-exchange 400s, in its words: <c>tool_use</c> ids without <c>tool_result</c> blocks at the start of the
    /// next message, and <c>tool_result</c> blocks answering no <c>tool_use</c> of the message before.
    /// </summary>
    private static FakeResponse? CheckToolExchanges(JsonObject body)
    {
        var messages = body["messages"]!.AsArray().Cast<JsonObject>().ToList();
        for (var i = 0; i < messages.Count; i++)
        {
            var blocks = Blocks(messages[i]);
            var previousUses = i > 0 ? Blocks(messages[i - 1]).Where(block => AsString(block["type"]) == "tool_use").Select(block => AsString(block["id"])!).ToHashSet() : [];
            for (var j = 0; j < blocks.Count; j++)
            {
                if (AsString(blocks[j]["type"]) == "tool_result" && AsString(blocks[j]["tool_use_id"]) is { } id && !previousUses.Contains(id))
                {
                    return InvalidRequest($"messages.{i}.content.{j}: unexpected `tool_use_id` found in `tool_result` blocks: {id}. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.");
                }
            }

            var uses = blocks.Where(block => AsString(block["type"]) == "tool_use").Select(block => AsString(block["id"])!).ToList();
            if (uses.Count == 0 || i == messages.Count - 1)
            {
                continue;
            }

            var answered = Blocks(messages[i + 1]).TakeWhile(block => AsString(block["type"]) == "tool_result").Select(block => AsString(block["tool_use_id"])).ToHashSet();
            if (uses.Where(id => !answered.Contains(id)).ToList() is { Count: > 0 } unanswered)
            {
                return InvalidRequest($"messages.{i}: `tool_use` ids were found without `tool_result` blocks immediately after: {string.Join(", ", unanswered)}. Each `tool_use` block must have a corresponding `tool_result` block in the next message.");
            }
        }

        return null;
    }

    private static FakeResponse? CheckTools(JsonObject body)
    {
        var names = new List<string>();
        if (body["tools"] is JsonArray tools)
        {
            for (var i = 0; i < tools.Count; i++)
            {
                if (tools[i] is not JsonObject tool || AsString(tool["name"]) is not { Length: > 0 } name)
                {
                    return InvalidRequest($"tools.{i}.custom.name: Field required");
                }

                if (tool["input_schema"] is not JsonObject)
                {
                    return InvalidRequest($"tools.{i}.custom.input_schema: Field required");
                }

                names.Add(name);
            }
        }
        else if (body["tools"] is not null)
        {
            return InvalidRequest("tools: Input should be a valid list");
        }

        if (body["tool_choice"] is not { } choice)
        {
            return null;
        }

        var type = (choice as JsonObject)?["type"] is { } typeNode ? AsString(typeNode) : null;
        return type switch
        {
            "auto" or "any" or "none" => null,
            "tool" when AsString(choice["name"]) is { } name && names.Contains(name) => null,
            "tool" => InvalidRequest($"tool_choice.tool.name: Tool '{AsString(choice["name"])}' not found in tools"),
            _ => InvalidRequest("tool_choice: Input tag found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'"),
        };
    }

    private static FakeResponse? CheckOutputConfig(JsonObject body)
    {
        if (body["output_config"] is not { } config)
        {
            return null;
        }

        if (config is not JsonObject { } settings || settings.Any(property => property.Key is not ("format" or "effort")))
        {
            return InvalidRequest($"output_config.{(config as JsonObject)?.Select(property => property.Key).FirstOrDefault(key => key is not ("format" or "effort"))}: Extra inputs are not permitted");
        }

        if (settings["format"] is not JsonObject format)
        {
            return null;
        }

        if (AsString(format["type"]) != "json_schema" || format["schema"] is not JsonObject schema)
        {
            return InvalidRequest("output_config.format.schema: Field required");
        }

        return OpenObject(schema) ? InvalidRequest("output_config.format.schema: For 'object' type, 'additionalProperties' must be explicitly set to false") : null;
    }

    /// <summary>True when an object (sub)schema does not set <c>additionalProperties: false</c>.</summary>
    private static bool OpenObject(JsonNode? node) => node switch
    {
        JsonObject schema when AsString(schema["type"]) == "object" && !(schema["additionalProperties"] is JsonValue closed && closed.GetValueKind() == JsonValueKind.False) => true,
        JsonObject schema => schema.Any(property => property.Key switch
        {
            "properties" or "$defs" => property.Value is JsonObject named && named.Any(child => OpenObject(child.Value)),
            "items" or "anyOf" or "allOf" => OpenObject(property.Value),
            _ => false,
        }),
        JsonArray variants => variants.Any(OpenObject),
        _ => false,
    };

    private FakeResponse? CheckModel(JsonObject body)
    {
        var model = AsString(body["model"])!;
        return _models.Contains(model) ? null : NotFound(model);
    }

    private FakeResponse Succeed(JsonObject body, FakeStreaming stream)
    {
        var messages = body["messages"]!.AsArray().Cast<JsonObject>().ToList();
        var last = messages[^1];
        var results = AsString(last["role"]) == "user" ? Blocks(last).Where(block => AsString(block["type"]) == "tool_result").ToList() : [];
        var inputTokens = CountWords(SystemText(body)) + messages.Sum(message => CountWords(TextOf(message)));
        var model = Snapshot(AsString(body["model"])!);
        var streamed = body["stream"] is JsonValue flag && flag.GetValueKind() == JsonValueKind.True;
        if (results.Count == 0 && ToolToCall(body) is { } tool)
        {
            var name = AsString(tool["name"])!;
            var input = ToolArguments?.Invoke(name) ?? ToJson(Sample(tool["input_schema"], "example"));
            var id = "toolu_01" + RandomString(22);
            if (streamed)
            {
                return FakeResponse.EventStream(ToolUseStreamEvents(id, name, input, inputTokens, model), stream, ResponseHeaders());
            }

            var toolUse = new JsonObject { ["type"] = "tool_use", ["id"] = id, ["name"] = name, ["input"] = JsonNode.Parse(input), ["caller"] = DirectCaller() };
            return FakeResponse.Json(200, ToJson(BuildMessage([toolUse], "tool_use", null, inputTokens, CountWords(input), model)), ResponseHeaders());
        }

        var lastUser = messages.LastOrDefault(message => AsString(message["role"]) == "user");
        var answer = results.Count > 0
            ? Reply(string.Join('\n', results.Select(ResultText)))
            : Reply(lastUser is null ? "" : TextOf(lastUser));
        if (body["output_config"]?["format"]?["schema"] is JsonObject schema)
        {
            answer = ToJson(Sample(schema, answer));
        }

        var stopReason = "end_turn";
        string? stopSequence = null;
        foreach (var sequence in (body["stop_sequences"] as JsonArray ?? []).Select(AsString).OfType<string>())
        {
            var at = answer.IndexOf(sequence, StringComparison.Ordinal);
            if (sequence.Length > 0 && at >= 0)
            {
                answer = answer[..at];
                stopReason = "stop_sequence";
                stopSequence = sequence;
                break;
            }
        }

        if (TryTruncateToWords(answer, body["max_tokens"]!.GetValue<int>(), out var truncated))
        {
            answer = truncated;
            stopReason = "max_tokens";
            stopSequence = null;
        }

        return streamed
            ? FakeResponse.EventStream(StreamEvents(answer, stopReason, inputTokens, model, stopSequence), stream, ResponseHeaders())
            : FakeResponse.Json(200, ToJson(BuildMessage(answer.Length == 0 ? [] : [TextBlock(answer)], stopReason, stopSequence, inputTokens, CountWords(answer), model)), ResponseHeaders());
    }

    /// <summary>The tool the fake calls: the named <c>tool_choice</c>, else the first tool unless <c>tool_choice</c> is <c>none</c>.</summary>
    private static JsonObject? ToolToCall(JsonObject body)
    {
        if (body["tools"] is not JsonArray { Count: > 0 } tools || AsString(body["tool_choice"]?["type"]) == "none")
        {
            return null;
        }

        var named = AsString(body["tool_choice"]?["type"]) == "tool" ? AsString(body["tool_choice"]!["name"]) : null;
        var all = tools.OfType<JsonObject>().ToList();
        return named is null ? all[0] : all.First(tool => AsString(tool["name"]) == named);
    }

    /// <summary>
    /// A stream as the API writes it: <c>message_start</c> (input tokens, output 1), <c>content_block_start</c> of the one
    /// block, a <c>ping</c>, the block's deltas, <c>content_block_stop</c>, <c>message_delta</c> with the stop reason and the
    /// cumulative output tokens, <c>message_stop</c>.
    /// </summary>
    private static List<string> Stream(JsonObject block, IReadOnlyList<JsonObject> deltas, string stopReason, string? stopSequence, int inputTokens, int outputTokens, string model)
    {
        var start = BuildMessage([], null, null, inputTokens, 1, model);
        List<string> events =
        [
            ToJson(new JsonObject { ["type"] = "message_start", ["message"] = start }),
            ToJson(new JsonObject { ["type"] = "content_block_start", ["index"] = 0, ["content_block"] = block }),
            ToJson(new JsonObject { ["type"] = "ping" }),
            .. deltas.Select(delta => ToJson(new JsonObject { ["type"] = "content_block_delta", ["index"] = 0, ["delta"] = delta })),
            ToJson(new JsonObject { ["type"] = "content_block_stop", ["index"] = 0 }),
            ToJson(new JsonObject
            {
                ["type"] = "message_delta",
                ["delta"] = new JsonObject { ["stop_reason"] = stopReason, ["stop_sequence"] = stopSequence },
                ["usage"] = new JsonObject { ["output_tokens"] = outputTokens },
            }),
            ToJson(new JsonObject { ["type"] = "message_stop" }),
        ];
        return events;
    }

    private static JsonObject BuildMessage(IReadOnlyList<JsonObject> content, string? stopReason, string? stopSequence, int inputTokens, int outputTokens, string model) => new()
    {
        ["id"] = "msg_01" + RandomString(22),
        ["type"] = "message",
        ["role"] = "assistant",
        ["model"] = model,
        ["content"] = new JsonArray([.. content]),
        ["stop_reason"] = stopReason,
        ["stop_sequence"] = stopSequence,
        ["usage"] = new JsonObject
        {
            ["input_tokens"] = inputTokens,
            ["cache_creation_input_tokens"] = 0,
            ["cache_read_input_tokens"] = 0,
            ["cache_creation"] = new JsonObject { ["ephemeral_5m_input_tokens"] = 0, ["ephemeral_1h_input_tokens"] = 0 },
            ["output_tokens"] = outputTokens,
            ["service_tier"] = "standard",
        },
    };

    private static JsonObject TextBlock(string text) => new() { ["type"] = "text", ["text"] = text };

    /// <summary>Who made a tool call: the model itself (the .NET SDK 13.x requires the field).</summary>
    private static JsonObject DirectCaller() => new() { ["type"] = "direct" };

    private static FakeResponse Error(int status, string type, string message, params (string Name, string Value)[] headers) =>
        FakeResponse.Json(status, ErrorBody(type, message), [.. ResponseHeaders(), .. headers]);

    private static (string Name, string Value)[] ResponseHeaders() =>
    [
        ("request-id", NewRequestId()),
        ("anthropic-organization-id", "00000000-0000-4000-8000-000000000000"),
    ];

    private static string NewRequestId() => "req_011C" + RandomString(20);

    private static string Snapshot(string model) => Snapshots.GetValueOrDefault(model, model);

    private static List<JsonObject> Blocks(JsonObject message) => message["content"] as JsonArray is { } blocks ? [.. blocks.OfType<JsonObject>()] : [];

    /// <summary>A message's text: its string content, or its text blocks joined with "\n".</summary>
    private static string TextOf(JsonObject message) => message["content"] switch
    {
        JsonValue content when content.GetValueKind() == JsonValueKind.String => content.GetValue<string>(),
        JsonArray blocks => string.Join('\n', blocks.OfType<JsonObject>().Where(block => AsString(block["type"]) == "text").Select(block => AsString(block["text"]))),
        _ => "",
    };

    private static string ResultText(JsonObject result) => result["content"] switch
    {
        JsonValue content when content.GetValueKind() == JsonValueKind.String => content.GetValue<string>(),
        JsonArray blocks => string.Join('\n', blocks.OfType<JsonObject>().Select(block => AsString(block["text"]))),
        _ => "",
    };

    private static string SystemText(JsonObject body) => body["system"] switch
    {
        JsonValue system when system.GetValueKind() == JsonValueKind.String => system.GetValue<string>(),
        JsonArray blocks => string.Join('\n', blocks.OfType<JsonObject>().Select(block => AsString(block["text"]))),
        _ => "",
    };

    [GeneratedRegex("^\\{\\s*\"type\"\\s*:\\s*\"(?<type>[a-z_]+)\"")]
    private static partial Regex TypeField();
}
