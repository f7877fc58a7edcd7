using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace AgentApi.Tests.Fakes;

/// <summary>
/// The Gemini Developer API (<c>POST /v1beta/models/{model}:generateContent</c> and <c>:streamGenerateContent</c>)
/// with Gemma's restrictions.
/// </summary>
/// <remarks>
/// Normal behaviour, first failing check wins: API key (<c>x-goog-api-key</c>, or <c>?key=</c> which the real API
/// also accepts) → model known → body parses as a GenerateContentRequest (proto-JSON rules: unknown field names, in
/// tools, tool config, function calls and responses and OpenAPI schemas too, and wrong value types are 400s; camelCase
/// and snake_case names both work; <c>null</c> means "not set") → contents and parts present → function names valid →
/// Gemma restrictions (systemInstruction, JSON mode, tools, thinkingConfig) → roles are <c>user</c>/<c>model</c> →
/// as many function responses as the model turn before made calls → on Gemini 3 models, the current turn's function
/// calls signed → input within the model's context window → 200 with <see cref="FakeProviderServer.Reply"/> applied to
/// the last user turn's text parts (joined with "\n"). Token counts are word counts; an answer longer than
/// <c>generationConfig.maxOutputTokens</c> words is cut with finishReason <c>MAX_TOKENS</c>.
/// <para>
/// <c>:streamGenerateContent?alt=sse</c> answers the same as a <c>text/event-stream</c> of GenerateContentResponse
/// chunks, <c>data: {…}</c> and CRLF CRLF, one a word, the last with the finish reason and the final usage, and no
/// terminator (the real wire format); without <c>alt=sse</c> it answers the chunks as one JSON array, as the real API
/// does. <see cref="FakeResponse.Streamed"/> scripts a slow, cut, stalled, malformed or failing stream; its in-band error
/// is a <c>data: {"error": {…}}</c> event.
/// </para>
/// <para>
/// Agents: a request with <c>functionDeclarations</c> (and function calling not <c>NONE</c>) whose last content holds
/// no function response is answered with a call, whole in one part, of the only allowed function or of the first one,
/// with <see cref="ToolArguments"/> (by default a sample of its parameters' schema), finishReason <c>STOP</c>, and on
/// thinking (non-Gemma) models a <c>thoughtSignature</c>. A request whose last content holds function responses is
/// answered with <see cref="FakeProviderServer.Reply"/> applied to their outputs. <c>responseMimeType</c>
/// <c>application/json</c> is answered with a sample of <c>responseJsonSchema</c> (or <c>responseSchema</c>; strings are
/// the reply), without a schema with <c>{"answer": reply}</c>.
/// </para>
/// </remarks>
public sealed class FakeGeminiServer : FakeProviderServer
{
    public const string DefaultApiKey = "test-gemini-key";
    public const string DefaultModel = "gemma-3-1b-it";

    private const string ModelsPath = "/v1beta/models/";
    private const string GenerateContentMethod = ":generateContent";
    private const string StreamGenerateContentMethod = ":streamGenerateContent";
    private const string JsonContentType = "application/json; charset=UTF-8";
    private const string InvalidArgument = "INVALID_ARGUMENT";
    private const string InvalidApiKeyMessage = "API key not valid. Please pass a valid API key.";

    private static readonly FrozenSet<string> RequestFields = ProtoNames(
        "contents", "tools", "toolConfig", "safetySettings", "systemInstruction", "generationConfig", "cachedContent", "model");

    private static readonly FrozenSet<string> GenerationConfigFields = ProtoNames(
        "stopSequences", "responseMimeType", "responseSchema", "responseJsonSchema", "responseModalities", "candidateCount",
        "maxOutputTokens", "temperature", "topP", "topK", "seed", "presencePenalty", "frequencyPenalty", "responseLogprobs",
        "logprobs", "enableEnhancedCivicAnswers", "speechConfig", "thinkingConfig", "imageConfig", "mediaResolution");

    private static readonly string[] NumericGenerationConfigFields =
        ["candidateCount", "maxOutputTokens", "temperature", "topP", "topK", "seed", "presencePenalty", "frequencyPenalty", "logprobs"];

    private static readonly FrozenSet<string> ContentFields = ProtoNames("role", "parts");

    private static readonly string[] PartDataFields =
        ["text", "inlineData", "fileData", "functionCall", "functionResponse", "executableCode", "codeExecutionResult"];

    private static readonly FrozenSet<string> PartFields = ProtoNames(
        [.. PartDataFields, "thought", "thoughtSignature", "videoMetadata", "partMetadata", "mediaResolution"]);

    private static readonly FrozenSet<string> ToolFields = ProtoNames(
        "functionDeclarations", "googleSearch", "googleSearchRetrieval", "codeExecution", "urlContext", "computerUse", "fileSearch", "googleMaps", "mcpServers");

    private static readonly FrozenSet<string> FunctionDeclarationFields = ProtoNames(
        "name", "description", "parameters", "parametersJsonSchema", "response", "responseJsonSchema", "behavior");

    /// <summary>The OpenAPI subset of <c>parameters</c> and <c>responseSchema</c>: JSON Schema's other keywords are unknown names.</summary>
    private static readonly FrozenSet<string> SchemaFields = ProtoNames(
        "type", "format", "title", "description", "nullable", "enum", "maxItems", "minItems", "properties", "required", "minProperties",
        "maxProperties", "minLength", "maxLength", "pattern", "example", "anyOf", "propertyOrdering", "default", "items", "minimum", "maximum");

    private static readonly FrozenSet<string> ToolConfigFields = ProtoNames("functionCallingConfig", "retrievalConfig", "includeServerSideToolInvocations");

    private static readonly FrozenSet<string> FunctionCallingConfigFields = ProtoNames("mode", "allowedFunctionNames");

    private static readonly FrozenSet<string> FunctionCallingModes = FrozenSet.ToFrozenSet(["MODE_UNSPECIFIED", "AUTO", "ANY", "NONE", "VALIDATED"], StringComparer.Ordinal);

    // The API answers an "id" in either with "Unknown name" (reported against the live API in several public issues).
    private static readonly FrozenSet<string> FunctionCallFields = ProtoNames("name", "args");

    private static readonly FrozenSet<string> FunctionResponseFields = ProtoNames("name", "response", "parts");

    private static readonly System.Text.RegularExpressions.Regex FunctionName = new("^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private readonly string _apiKey;
    private readonly FrozenSet<string> _models;
    private Func<string, string>? _toolArguments;

    private FakeGeminiServer(string apiKey, string[] models)
        : base("/v1beta")
    {
        _apiKey = apiKey;
        _models = (models.Length == 0 ? [DefaultModel] : models).ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>Starts a fake that accepts <paramref name="apiKey"/> and serves <paramref name="models"/> (default: gemma-3-1b-it).</summary>
    public static Task<FakeGeminiServer> StartAsync(string apiKey = DefaultApiKey, params string[] models)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        ArgumentNullException.ThrowIfNull(models);
        return StartServerAsync(new FakeGeminiServer(apiKey, models));
    }

    /// <summary>
    /// The arguments (a JSON object's text) of the fake's function calls, given the function's name; null (the default)
    /// for a sample of its parameters' schema. <see cref="FakeProviderServer.Reset"/> leaves it; <c>AgentApiHost.ResetFakes</c> clears it.
    /// </summary>
    public Func<string, string>? ToolArguments
    {
        get => Volatile.Read(ref _toolArguments);
        set => Volatile.Write(ref _toolArguments, value);
    }

    /// <summary>A 200 GenerateContentResponse body with one candidate.</summary>
    public static string SuccessBody(string text, string finishReason = "STOP", int promptTokens = 8, int outputTokens = 12) =>
        ToJson(BuildSuccess(text, finishReason, promptTokens, outputTokens, DefaultModel, NewResponseId()));

    /// <summary>A scripted 500 INTERNAL, the way Gemini reports a server-side failure.</summary>
    public static FakeResponse InternalError() => FakeResponse.Json(500, ErrorBody(500, "INTERNAL", "Internal error encountered."));

    /// <summary>
    /// A google.rpc.Status error body. With <paramref name="retryDelay"/> (a protobuf Duration such as "2s") it
    /// carries a RetryInfo detail, as real 429s do.
    /// </summary>
    public static string ErrorBody(int code, string status, string message, string? retryDelay = null)
    {
        JsonArray? details = retryDelay is null
            ? null
            : [new JsonObject { ["@type"] = "type.googleapis.com/google.rpc.RetryInfo", ["retryDelay"] = retryDelay }];
        return ToJson(BuildError(code, status, message, details));
    }

    /// <summary>A 200 body for a prompt blocked by safety filters: promptFeedback.blockReason SAFETY and no candidates.</summary>
    public static string PromptBlockedBody() => ToJson(new JsonObject
    {
        ["promptFeedback"] = new JsonObject
        {
            ["blockReason"] = "SAFETY",
            ["safetyRatings"] = new JsonArray(new JsonObject
            {
                ["category"] = "HARM_CATEGORY_DANGEROUS_CONTENT",
                ["probability"] = "HIGH",
            }),
        },
        ["usageMetadata"] = new JsonObject { ["promptTokenCount"] = 11, ["totalTokenCount"] = 11 },
        ["modelVersion"] = DefaultModel,
        ["responseId"] = NewResponseId(),
    });

    protected override bool IsModelEndpoint(RecordedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return HttpMethods.IsPost(request.Method)
            && request.Path.StartsWith(ModelsPath, StringComparison.Ordinal)
            && (request.Path.EndsWith(GenerateContentMethod, StringComparison.Ordinal) || request.Path.EndsWith(StreamGenerateContentMethod, StringComparison.Ordinal))
            && request.Path.IndexOf(':', ModelsPath.Length) > ModelsPath.Length;
    }

    protected override FakeResponse RespondToUnknownEndpoint(RecordedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);

        // Google's front end answers unknown URLs with an HTML page, not a JSON error.
        var page = $"<!DOCTYPE html>\n<html lang=en>\n<meta charset=utf-8>\n<title>Error 404 (Not Found)!!1</title>\n"
            + $"<p><b>404.</b> <ins>That’s an error.</ins>\n<p>The requested URL <code>{request.Path}</code> was not found on this server.  <ins>That’s all we know.</ins>\n";
        return FakeResponse.Raw(404, "text/html; charset=UTF-8", page);
    }

    /// <summary>Gemini's mid-stream failure: an error object in a <c>data:</c> event, then the body ends.</summary>
    protected override string InBandError => ToJson(BuildError(503, "UNAVAILABLE", "The model is overloaded. Please try again later.", null));

    /// <summary>Gemini ends its events with CRLF CRLF.</summary>
    protected override string EventText(string data) => $"data: {data}\r\n\r\n";

    /// <summary>Gemini's last chunk is the one with the finish reason.</summary>
    protected override bool IsLastEvent(string data) => data.Contains("\"finishReason\"", StringComparison.Ordinal);

    protected override FakeResponse Respond(RecordedRequest request) => Respond(request, FakeStreaming.Normal);

    protected override FakeResponse RespondStreamed(RecordedRequest request, FakeStreaming stream) => Respond(request, stream);

    private FakeResponse Respond(RecordedRequest request, FakeStreaming stream)
    {
        ArgumentNullException.ThrowIfNull(request);
        var method = request.Path.EndsWith(StreamGenerateContentMethod, StringComparison.Ordinal) ? StreamGenerateContentMethod : GenerateContentMethod;
        var model = request.Path[ModelsPath.Length..^method.Length];

        if (CheckApiKey(request) is { } authError)
        {
            return authError;
        }

        if (!_models.Contains(model))
        {
            return Error(404, "NOT_FOUND", $"models/{model} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.");
        }

        if (ParseObject(request.Body) is not { } body)
        {
            return Error(400, InvalidArgument, "Invalid JSON payload received. Unexpected token.");
        }

        var streamed = method == StreamGenerateContentMethod;
        var sse = streamed && QueryHelpers.ParseQuery(request.QueryString).TryGetValue("alt", out var alt) && alt == "sse";
        return CheckProtoShape(body)
            ?? CheckRequired(body)
            ?? CheckFunctionNames(body)
            ?? CheckGemmaRestrictions(model, body)
            ?? CheckRoles(body)
            ?? CheckFunctionResponses(body)
            ?? CheckThoughtSignatures(model, body)
            ?? CheckContextWindow(model, body)
            ?? Succeed(model, body, streamed, sse, stream);
    }

    private FakeResponse? CheckApiKey(RecordedRequest request)
    {
        var key = request.Headers.TryGetValue("x-goog-api-key", out var header)
            ? header
            : QueryHelpers.ParseQuery(request.QueryString).TryGetValue("key", out var query) ? query.ToString() : null;

        if (key is null)
        {
            return Error(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.");
        }

        if (string.Equals(key, _apiKey, StringComparison.Ordinal))
        {
            return null;
        }

        JsonArray details =
        [
            new JsonObject
            {
                ["@type"] = "type.googleapis.com/google.rpc.ErrorInfo",
                ["reason"] = "API_KEY_INVALID",
                ["domain"] = "googleapis.com",
                ["metadata"] = new JsonObject { ["service"] = "generativelanguage.googleapis.com" },
            },
            new JsonObject
            {
                ["@type"] = "type.googleapis.com/google.rpc.LocalizedMessage",
                ["locale"] = "en-US",
                ["message"] = InvalidApiKeyMessage,
            },
        ];
        return Error(400, InvalidArgument, InvalidApiKeyMessage, details);
    }

    /// <summary>Proto-JSON parsing errors: unknown field names and values of the wrong type.</summary>
    private static FakeResponse? CheckProtoShape(JsonObject body)
    {
        var violations = new List<(string? Field, string Description)>();
        AddUnknownNames(body, RequestFields, null, violations);

        var contents = Field(body, "contents");
        if (contents is not null and not JsonArray)
        {
            violations.Add(InvalidValue("contents", "type.googleapis.com/google.ai.generativelanguage.v1beta.Content", contents));
        }

        for (var i = 0; contents is JsonArray list && i < list.Count; i++)
        {
            if (list[i] is not JsonObject content)
            {
                violations.Add(InvalidValue($"contents[{i}]", "type.googleapis.com/google.ai.generativelanguage.v1beta.Content", list[i]));
                continue;
            }

            AddUnknownNames(content, ContentFields, $"contents[{i}]", violations);
            var parts = Field(content, "parts");
            if (parts is not null and not JsonArray)
            {
                violations.Add(InvalidValue($"contents[{i}].parts", "type.googleapis.com/google.ai.generativelanguage.v1beta.Part", parts));
            }

            for (var j = 0; parts is JsonArray partList && j < partList.Count; j++)
            {
                if (partList[j] is JsonObject part)
                {
                    AddUnknownNames(part, PartFields, $"contents[{i}].parts[{j}]", violations);
                    AddPartViolations(part, $"contents[{i}].parts[{j}]", violations);
                }
                else
                {
                    violations.Add(InvalidValue($"contents[{i}].parts[{j}]", "type.googleapis.com/google.ai.generativelanguage.v1beta.Part", partList[j]));
                }
            }
        }

        switch (Field(body, "generationConfig"))
        {
            case JsonObject config:
                AddUnknownNames(config, GenerationConfigFields, "generation_config", violations);
                AddSchemaViolations(Field(config, "responseSchema"), "generation_config.response_schema", violations);
                foreach (var name in NumericGenerationConfigFields)
                {
                    if (Field(config, name) is { } value && !IsProtoNumber(value))
                    {
                        violations.Add(InvalidValue($"generation_config.{ToSnakeCase(name)}", "TYPE_NUMBER", value));
                    }
                }

                break;
            case { } config:
                violations.Add(InvalidValue("generation_config", "type.googleapis.com/google.ai.generativelanguage.v1beta.GenerationConfig", config));
                break;
        }

        AddToolViolations(body, violations);
        if (violations.Count == 0)
        {
            return null;
        }

        var fieldViolations = new JsonArray();
        foreach (var (field, description) in violations)
        {
            var violation = new JsonObject();
            if (field is not null)
            {
                violation["field"] = field;
            }

            violation["description"] = description;
            fieldViolations.Add(violation);
        }

        JsonArray details = [new JsonObject { ["@type"] = "type.googleapis.com/google.rpc.BadRequest", ["fieldViolations"] = fieldViolations }];
        return Error(400, InvalidArgument, string.Join('\n', violations.Select(v => v.Description)), details);
    }

    private static FakeResponse? CheckRequired(JsonObject body)
    {
        if (Field(body, "contents") is not JsonArray { Count: > 0 } contents)
        {
            return Error(400, InvalidArgument, "* GenerateContentRequest.contents: contents is not specified\n");
        }

        var problems = new StringBuilder();
        for (var i = 0; i < contents.Count; i++)
        {
            if (Field(contents[i]!.AsObject(), "parts") is not JsonArray { Count: > 0 } parts)
            {
                problems.Append(CultureInfo.InvariantCulture, $"* GenerateContentRequest.contents[{i}].parts: contents.parts must not be empty.\n");
                continue;
            }

            for (var j = 0; j < parts.Count; j++)
            {
                var part = parts[j]!.AsObject();
                if (!PartDataFields.Any(name => Field(part, name) is not null))
                {
                    problems.Append(CultureInfo.InvariantCulture, $"* GenerateContentRequest.contents[{i}].parts[{j}].data: required oneof field 'data' must have one initialized field\n");
                }
            }
        }

        return problems.Length == 0 ? null : Error(400, InvalidArgument, problems.ToString());
    }

    private static void AddPartViolations(JsonObject part, string path, List<(string? Field, string Description)> violations)
    {
        if (Field(part, "functionCall") is { } call)
        {
            if (call is JsonObject callObject)
            {
                AddUnknownNames(callObject, FunctionCallFields, $"{path}.function_call", violations);
                if (Field(callObject, "args") is { } args and not JsonObject)
                {
                    violations.Add(InvalidValue($"{path}.function_call.args", "type.googleapis.com/google.protobuf.Struct", args));
                }
            }
            else
            {
                violations.Add(InvalidValue($"{path}.function_call", "type.googleapis.com/google.ai.generativelanguage.v1beta.FunctionCall", call));
            }
        }

        if (Field(part, "functionResponse") is { } response)
        {
            if (response is JsonObject responseObject)
            {
                AddUnknownNames(responseObject, FunctionResponseFields, $"{path}.function_response", violations);
                if (Field(responseObject, "response") is { } value and not JsonObject)
                {
                    violations.Add(InvalidValue($"{path}.function_response.response", "type.googleapis.com/google.protobuf.Struct", value));
                }
            }
            else
            {
                violations.Add(InvalidValue($"{path}.function_response", "type.googleapis.com/google.ai.generativelanguage.v1beta.FunctionResponse", response));
            }
        }

        if (Field(part, "thoughtSignature") is { } signature && !IsBase64(AsString(signature)))
        {
            violations.Add(($"{path}.thought_signature", $"Invalid value at '{path}.thought_signature' (TYPE_BYTES), Base64 decoding failed for {signature.ToJsonString()}"));
        }
    }

    private static void AddToolViolations(JsonObject body, List<(string? Field, string Description)> violations)
    {
        var tools = Field(body, "tools") as JsonArray;
        for (var i = 0; tools is not null && i < tools.Count; i++)
        {
            if (tools[i] is not JsonObject tool)
            {
                violations.Add(InvalidValue($"tools[{i}]", "type.googleapis.com/google.ai.generativelanguage.v1beta.Tool", tools[i]));
                continue;
            }

            AddUnknownNames(tool, ToolFields, $"tools[{i}]", violations);
            var declarations = Field(tool, "functionDeclarations") as JsonArray ?? [];
            for (var j = 0; j < declarations.Count; j++)
            {
                var path = $"tools[{i}].function_declarations[{j}]";
                if (declarations[j] is not JsonObject declaration)
                {
                    violations.Add(InvalidValue(path, "type.googleapis.com/google.ai.generativelanguage.v1beta.FunctionDeclaration", declarations[j]));
                    continue;
                }

                AddUnknownNames(declaration, FunctionDeclarationFields, path, violations);
                AddSchemaViolations(Field(declaration, "parameters"), $"{path}.parameters", violations);
                AddSchemaViolations(Field(declaration, "response"), $"{path}.response", violations);
            }
        }

        if (Field(body, "toolConfig") is not JsonObject toolConfig)
        {
            return;
        }

        AddUnknownNames(toolConfig, ToolConfigFields, "tool_config", violations);
        if (Field(toolConfig, "functionCallingConfig") is JsonObject calling)
        {
            AddUnknownNames(calling, FunctionCallingConfigFields, "tool_config.function_calling_config", violations);
            if (Field(calling, "mode") is { } mode && !FunctionCallingModes.Contains(AsString(mode) ?? string.Empty))
            {
                violations.Add(InvalidValue("tool_config.function_calling_config.mode", "type.googleapis.com/google.ai.generativelanguage.v1beta.FunctionCallingConfig.Mode", mode));
            }
        }
    }

    /// <summary>An OpenAPI-subset Schema (<c>parameters</c>, <c>responseSchema</c>): keywords outside it are unknown names, down the tree.</summary>
    private static void AddSchemaViolations(JsonNode? schema, string path, List<(string? Field, string Description)> violations)
    {
        if (schema is not JsonObject node)
        {
            return;
        }

        AddUnknownNames(node, SchemaFields, path, violations);
        if (Field(node, "properties") is JsonObject properties)
        {
            var index = 0;
            foreach (var (_, property) in properties)
            {
                AddSchemaViolations(property, $"{path}.properties[{index++}].value", violations);
            }
        }

        AddSchemaViolations(Field(node, "items"), $"{path}.items", violations);
        var anyOf = Field(node, "anyOf") as JsonArray ?? [];
        for (var i = 0; i < anyOf.Count; i++)
        {
            AddSchemaViolations(anyOf[i], $"{path}.any_of[{i}]", violations);
        }
    }

    /// <summary>Proto bytes in JSON: standard or URL-safe base64, padded or not.</summary>
    private static bool IsBase64(string? text)
    {
        if (text is null)
        {
            return false;
        }

        var standard = text.Replace('-', '+').Replace('_', '/').TrimEnd('=');
        var padded = standard.PadRight(standard.Length + ((4 - (standard.Length % 4)) % 4), '=');
        return standard.Length % 4 != 1 && Convert.TryFromBase64String(padded, new byte[padded.Length], out _);
    }

    private static FakeResponse? CheckFunctionNames(JsonObject body)
    {
        var problems = new StringBuilder();
        var tools = Field(body, "tools") as JsonArray ?? [];
        for (var i = 0; i < tools.Count; i++)
        {
            var declarations = tools[i] is JsonObject tool && Field(tool, "functionDeclarations") is JsonArray list ? list : [];
            for (var j = 0; j < declarations.Count; j++)
            {
                if (!FunctionName.IsMatch(StringField(declarations[j]!.AsObject(), "name") ?? string.Empty))
                {
                    problems.Append(CultureInfo.InvariantCulture, $"\n  * tools[{i}].function_declarations[{j}].name: [FIELD_INVALID] Invalid function name. Must start with a letter or an underscore. Must be a-z, A-Z, 0-9, or contain underscores, dots, colons and dashes, with a maximum length of 64.");
                }
            }
        }

        return problems.Length == 0 ? null : Error(400, InvalidArgument, "The GenerateContentRequest proto is invalid:" + problems);
    }

    /// <summary>The results of a model turn's calls come in the next content, one function response a call.</summary>
    private static FakeResponse? CheckFunctionResponses(JsonObject body)
    {
        var contents = Contents(body).ToList();
        for (var i = 0; i < contents.Count; i++)
        {
            var responses = PartsOf(contents[i]).Count(part => Field(part, "functionResponse") is not null);
            if (responses == 0)
            {
                continue;
            }

            var calls = i > 0 ? PartsOf(contents[i - 1]).Count(part => Field(part, "functionCall") is not null) : 0;
            if (calls != responses)
            {
                return Error(400, InvalidArgument, "Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.");
            }
        }

        return null;
    }

    /// <summary>
    /// Gemini 3 models reject a function call of the current turn (after the last user text) whose model content does
    /// not carry a thought signature on its first call; Google's placeholder signature passes.
    /// </summary>
    private static FakeResponse? CheckThoughtSignatures(string model, JsonObject body)
    {
        if (model.StartsWith("gemma-", StringComparison.Ordinal) || model.StartsWith("gemini-1", StringComparison.Ordinal) || model.StartsWith("gemini-2", StringComparison.Ordinal))
        {
            return null;
        }

        var contents = Contents(body).ToList();
        var turnStart = contents.FindLastIndex(content => StringField(content, "role") is null or "user" && PartsOf(content).Any(part => Field(part, "text") is not null));
        for (var i = Math.Max(turnStart, 0); i < contents.Count; i++)
        {
            if (PartsOf(contents[i]).FirstOrDefault(part => Field(part, "functionCall") is not null) is { } first && Field(first, "thoughtSignature") is null)
            {
                var name = StringField(Field(first, "functionCall")!.AsObject(), "name");
                return Error(400, InvalidArgument, string.Create(CultureInfo.InvariantCulture,
                    $"Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call `default_api:{name}`, position {i + 1}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details."));
            }
        }

        return null;
    }

    /// <summary>Features the Gemini API refuses for Gemma models (see gemma-quirks in the shared reference).</summary>
    private static FakeResponse? CheckGemmaRestrictions(string model, JsonObject body)
    {
        if (!model.StartsWith("gemma-", StringComparison.Ordinal))
        {
            return null;
        }

        // Rejected even when its text is empty: only leaving the field out works.
        if (Field(body, "systemInstruction") is not null)
        {
            return Error(400, InvalidArgument, $"Developer instruction is not enabled for models/{model}");
        }

        var config = Field(body, "generationConfig") as JsonObject;
        if (config is not null
            && (string.Equals(StringField(config, "responseMimeType"), "application/json", StringComparison.OrdinalIgnoreCase)
                || Field(config, "responseSchema") is not null
                || Field(config, "responseJsonSchema") is not null))
        {
            return Error(400, InvalidArgument, $"JSON mode is not enabled for models/{model}");
        }

        // toolConfig and function parts in history are assumptions: only tools[] was observed failing.
        var hasTools = Field(body, "tools") is JsonArray { Count: > 0 } or JsonObject
            || Field(body, "toolConfig") is not null
            || Parts(body).Any(part => Field(part, "functionCall") is not null || Field(part, "functionResponse") is not null);
        if (hasTools)
        {
            return Error(400, InvalidArgument, $"Function calling is not enabled for models/{model}");
        }

        if (config is not null && Field(config, "thinkingConfig") is not null)
        {
            return Error(400, InvalidArgument, "Thinking budget is not supported for this model.");
        }

        return null;
    }

    private static FakeResponse? CheckRoles(JsonObject body)
    {
        foreach (var content in Contents(body))
        {
            if (Field(content, "role") is { } role
                && !(role.GetValueKind() == JsonValueKind.String && role.GetValue<string>() is "user" or "model"))
            {
                return Error(400, InvalidArgument, "Please use a valid role: user, model.");
            }
        }

        return null;
    }

    private static FakeResponse? CheckContextWindow(string model, JsonObject body)
    {
        var limit = model.StartsWith("gemma-3-1b", StringComparison.Ordinal) ? 32_768
            : model.StartsWith("gemma-", StringComparison.Ordinal) ? 131_072
            : 1_048_576;
        var inputTokens = CountInputTokens(body);
        return inputTokens <= limit
            ? null
            : Error(400, InvalidArgument, string.Create(CultureInfo.InvariantCulture, $"The input token count ({inputTokens}) exceeds the maximum number of tokens allowed ({limit})."));
    }

    private FakeResponse Succeed(string model, JsonObject body, bool streamed, bool sse, FakeStreaming stream)
    {
        var last = Contents(body).LastOrDefault();
        var results = last is null ? [] : PartsOf(last).Select(part => Field(part, "functionResponse")).OfType<JsonObject>().ToList();
        var promptTokens = CountInputTokens(body);
        var responseId = NewResponseId();
        List<JsonObject> chunks;
        if (results.Count == 0 && FunctionToCall(body) is { } function)
        {
            var name = StringField(function, "name")!;
            var arguments = ToolArguments?.Invoke(name) is { } text
                ? JsonNode.Parse(text)
                : Sample(Field(function, "parametersJsonSchema") ?? Field(function, "parameters"), "example");
            var part = new JsonObject { ["functionCall"] = new JsonObject { ["name"] = name, ["args"] = arguments } };
            if (!model.StartsWith("gemma-", StringComparison.Ordinal))
            {
                // Thinking models sign their calls.
                part["thoughtSignature"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48));
            }

            // A call comes whole, in one chunk, with finishReason STOP.
            chunks = [BuildResponse([part], "STOP", promptTokens, CountWords(arguments?.ToJsonString() ?? ""), model, responseId)];
        }
        else
        {
            var lastUser = Contents(body).LastOrDefault(content => StringField(content, "role") is null or "user");
            var question = results.Count > 0
                ? string.Join('\n', results.Select(OutputOf))
                : lastUser is null ? "" : string.Join('\n', PartsOf(lastUser).Select(part => StringField(part, "text")).OfType<string>());
            var config = Field(body, "generationConfig") as JsonObject;
            var answer = config is null ? Reply(question) : Formatted(config, Reply(question));
            var finishReason = "STOP";
            var maxOutputTokens = config is not null && Field(config, "maxOutputTokens") is { } max ? (int?)ReadInt(max) : null;
            if (TryTruncateToWords(answer, maxOutputTokens, out var truncated))
            {
                answer = truncated;
                finishReason = "MAX_TOKENS";
            }

            chunks = streamed ? StreamChunks(answer, finishReason, promptTokens, model, responseId) : [BuildSuccess(answer, finishReason, promptTokens, CountWords(answer), model, responseId)];
        }

        if (!streamed)
        {
            return FakeResponse.Json(200, ToJson(chunks[0]), ("Content-Type", JsonContentType));
        }

        // Without alt=sse the API answers the chunks as one JSON array.
        return sse
            ? FakeResponse.EventStream([.. chunks.Select(ToJson)], stream)
            : FakeResponse.Json(200, "[" + string.Join(",\r\n", chunks.Select(ToJson)) + "]", ("Content-Type", JsonContentType));
    }

    /// <summary>
    /// The answer as streamGenerateContent sends it: a chunk a word (with its leading space), each with the prompt's
    /// usage, the last with the finish reason and the whole usage.
    /// </summary>
    public static IReadOnlyList<string> StreamEvents(string answer, string finishReason = "STOP", int promptTokens = 8, string model = DefaultModel) =>
        [.. StreamChunks(answer, finishReason, promptTokens, model, NewResponseId()).Select(ToJson)];

    private static List<JsonObject> StreamChunks(string answer, string finishReason, int promptTokens, string model, string responseId)
    {
        var words = answer.Split(' ');
        var pieces = words.Select((word, i) => i == 0 ? word : " " + word).Where(piece => piece.Length > 0).ToList();
        if (pieces.Count == 0)
        {
            pieces.Add("");
        }

        var chunks = new List<JsonObject>();
        for (var i = 0; i < pieces.Count; i++)
        {
            var lastChunk = i == pieces.Count - 1;
            chunks.Add(BuildResponse([new JsonObject { ["text"] = pieces[i] }], lastChunk ? finishReason : null, promptTokens, lastChunk ? CountWords(answer) : null, model, responseId));
        }

        return chunks;
    }

    /// <summary>The function the fake calls: the only allowed one, else the first, unless function calling is <c>NONE</c>.</summary>
    private static JsonObject? FunctionToCall(JsonObject body)
    {
        var declarations = (Field(body, "tools") as JsonArray ?? [])
            .OfType<JsonObject>()
            .SelectMany(tool => Field(tool, "functionDeclarations") as JsonArray ?? [])
            .OfType<JsonObject>()
            .ToList();
        var calling = Field(body, "toolConfig") is JsonObject toolConfig ? Field(toolConfig, "functionCallingConfig") as JsonObject : null;
        if (declarations.Count == 0 || (calling is not null && StringField(calling, "mode") == "NONE"))
        {
            return null;
        }

        var allowed = calling is not null && Field(calling, "allowedFunctionNames") is JsonArray { Count: > 0 } names ? AsString(names[0]) : null;
        return allowed is null ? declarations[0] : declarations.FirstOrDefault(declaration => StringField(declaration, "name") == allowed);
    }

    /// <summary>A function response's output as text: <c>output</c> when it is a string, else the JSON.</summary>
    private static string OutputOf(JsonObject functionResponse)
    {
        var response = Field(functionResponse, "response") as JsonObject ?? [];
        return response["output"] switch
        {
            JsonValue output when output.GetValueKind() == JsonValueKind.String => output.GetValue<string>(),
            { } output => ToJson(output),
            null => ToJson(response),
        };
    }

    /// <summary>JSON mode: a sample of the response schema with <paramref name="reply"/> in its strings, or <c>{"answer": reply}</c>.</summary>
    private static string Formatted(JsonObject config, string reply) =>
        string.Equals(StringField(config, "responseMimeType"), "application/json", StringComparison.OrdinalIgnoreCase)
            ? (Field(config, "responseJsonSchema") ?? Field(config, "responseSchema")) is { } schema
                ? ToJson(Sample(schema, reply))
                : ToJson(new JsonObject { ["answer"] = reply })
            : reply;

    private static JsonObject BuildSuccess(string text, string finishReason, int promptTokens, int outputTokens, string model, string responseId) =>
        BuildResponse([new JsonObject { ["text"] = text }], finishReason, promptTokens, outputTokens, model, responseId);

    /// <summary>A GenerateContentResponse, or a chunk of one: without a finish reason and output tokens, a chunk before the last.</summary>
    private static JsonObject BuildResponse(JsonArray parts, string? finishReason, int promptTokens, int? outputTokens, string model, string responseId)
    {
        var candidate = new JsonObject
        {
            ["content"] = new JsonObject { ["parts"] = parts, ["role"] = "model" },
        };
        if (finishReason is not null)
        {
            candidate["finishReason"] = finishReason;
        }

        candidate["index"] = 0;
        var usage = new JsonObject { ["promptTokenCount"] = promptTokens };
        if (outputTokens is { } output)
        {
            usage["candidatesTokenCount"] = output;
        }

        usage["totalTokenCount"] = promptTokens + (outputTokens ?? 0);
        usage["promptTokensDetails"] = new JsonArray(new JsonObject { ["modality"] = "TEXT", ["tokenCount"] = promptTokens });
        return new JsonObject
        {
            ["candidates"] = new JsonArray(candidate),
            ["usageMetadata"] = usage,
            ["modelVersion"] = model,
            ["responseId"] = responseId,
        };
    }

    private static JsonObject BuildError(int code, string status, string message, JsonArray? details)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message, ["status"] = status };
        if (details is not null)
        {
            error["details"] = details;
        }

        return new JsonObject { ["error"] = error };
    }

    private static FakeResponse Error(int code, string status, string message, JsonArray? details = null) =>
        FakeResponse.Json(code, ToJson(BuildError(code, status, message, details)), ("Content-Type", JsonContentType));

    private static string NewResponseId() => RandomString(23);

    private static int CountInputTokens(JsonObject body)
    {
        var system = Field(body, "systemInstruction") is JsonObject instruction ? PartsOf(instruction) : [];
        return system.Concat(Parts(body)).Sum(part => CountWords(StringField(part, "text") ?? ""));
    }

    private static IEnumerable<JsonObject> Contents(JsonObject body) =>
        Field(body, "contents") is JsonArray contents ? contents.OfType<JsonObject>() : [];

    private static IEnumerable<JsonObject> Parts(JsonObject body) => Contents(body).SelectMany(PartsOf);

    private static IEnumerable<JsonObject> PartsOf(JsonObject content) =>
        Field(content, "parts") is JsonArray parts ? parts.OfType<JsonObject>() : [];

    /// <summary>A field by its camelCase name or the snake_case form proto JSON also accepts; JSON null counts as absent.</summary>
    private static JsonNode? Field(JsonObject obj, string camelCaseName) => obj[camelCaseName] ?? obj[ToSnakeCase(camelCaseName)];

    private static string? StringField(JsonObject obj, string camelCaseName) => AsString(Field(obj, camelCaseName));

    private static void AddUnknownNames(JsonObject obj, FrozenSet<string> known, string? path, List<(string? Field, string Description)> violations)
    {
        foreach (var (name, _) in obj)
        {
            if (!known.Contains(name))
            {
                var where = path is null ? "" : $" at '{path}'";
                violations.Add((path, $"Invalid JSON payload received. Unknown name \"{name}\"{where}: Cannot find field."));
            }
        }
    }

    private static (string? Field, string Description) InvalidValue(string path, string type, JsonNode? value) =>
        (path, $"Invalid value at '{path}' ({type}), {value?.ToJsonString() ?? "null"}");

    /// <summary>Proto JSON takes numbers as JSON numbers or as numeric strings.</summary>
    private static bool IsProtoNumber(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.Number => true,
        JsonValueKind.String => double.TryParse(value.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out _),
        _ => false,
    };

    private static int ReadInt(JsonNode value) => value.GetValueKind() == JsonValueKind.String
        ? (int)double.Parse(value.GetValue<string>(), CultureInfo.InvariantCulture)
        : (int)value.GetValue<double>();

    /// <summary>An empty body is an empty request to the Gemini API, not a parse error.</summary>
    private static JsonObject? ParseObject(string body) => string.IsNullOrWhiteSpace(body) ? [] : TryParseObject(body);

    private static FrozenSet<string> ProtoNames(params string[] camelCaseNames) =>
        camelCaseNames.Concat(camelCaseNames.Select(ToSnakeCase)).ToFrozenSet(StringComparer.Ordinal);

    private static string ToSnakeCase(string camelCaseName)
    {
        var snake = new StringBuilder(camelCaseName.Length + 4);
        foreach (var c in camelCaseName)
        {
            if (char.IsUpper(c))
            {
                snake.Append('_').Append(char.ToLowerInvariant(c));
            }
            else
            {
                snake.Append(c);
            }
        }

        return snake.ToString();
    }
}
