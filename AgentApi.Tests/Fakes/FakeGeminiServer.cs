using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace AgentApi.Tests.Fakes;

/// <summary>
/// The Gemini Developer API (<c>POST /v1beta/models/{model}:generateContent</c>) with Gemma's restrictions.
/// </summary>
/// <remarks>
/// Normal behaviour, first failing check wins: API key (<c>x-goog-api-key</c>, or <c>?key=</c> which the real API
/// also accepts) → model known → body parses as a GenerateContentRequest (proto-JSON rules: unknown field names and
/// wrong value types are 400s; camelCase and snake_case names both work; <c>null</c> means "not set") → contents and
/// parts present → Gemma restrictions (systemInstruction, JSON mode, tools, thinkingConfig) → roles are
/// <c>user</c>/<c>model</c> → input within the model's context window → 200 with <see cref="FakeProviderServer.Reply"/>
/// applied to the last user turn's text parts (joined with "\n"). Token counts are word counts; an answer longer
/// than <c>generationConfig.maxOutputTokens</c> words is cut with finishReason <c>MAX_TOKENS</c>.
/// </remarks>
public sealed class FakeGeminiServer : FakeProviderServer
{
    public const string DefaultApiKey = "test-gemini-key";
    public const string DefaultModel = "gemma-3-1b-it";

    private const string ModelsPath = "/v1beta/models/";
    private const string GenerateContentMethod = ":generateContent";
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

    private readonly string _apiKey;
    private readonly FrozenSet<string> _models;

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
            && request.Path.EndsWith(GenerateContentMethod, StringComparison.Ordinal)
            && request.Path.Length > ModelsPath.Length + GenerateContentMethod.Length;
    }

    protected override FakeResponse RespondToUnknownEndpoint(RecordedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);

        // Google's front end answers unknown URLs with an HTML page, not a JSON error.
        var page = $"<!DOCTYPE html>\n<html lang=en>\n<meta charset=utf-8>\n<title>Error 404 (Not Found)!!1</title>\n"
            + $"<p><b>404.</b> <ins>That’s an error.</ins>\n<p>The requested URL <code>{request.Path}</code> was not found on this server.  <ins>That’s all we know.</ins>\n";
        return FakeResponse.Raw(404, "text/html; charset=UTF-8", page);
    }

    protected override FakeResponse Respond(RecordedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var model = request.Path[ModelsPath.Length..^GenerateContentMethod.Length];

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

        return CheckProtoShape(body)
            ?? CheckRequired(body)
            ?? CheckGemmaRestrictions(model, body)
            ?? CheckRoles(body)
            ?? CheckContextWindow(model, body)
            ?? Succeed(model, body);
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

    private FakeResponse Succeed(string model, JsonObject body)
    {
        var lastUser = Contents(body).LastOrDefault(content => StringField(content, "role") is null or "user");
        var userText = lastUser is null ? "" : string.Join('\n', PartsOf(lastUser).Select(part => StringField(part, "text")).OfType<string>());
        var answer = Reply(userText);

        var finishReason = "STOP";
        var maxOutputTokens = (Field(body, "generationConfig") as JsonObject) is { } config && Field(config, "maxOutputTokens") is { } max
            ? (int?)ReadInt(max)
            : null;
        if (TryTruncateToWords(answer, maxOutputTokens, out var truncated))
        {
            answer = truncated;
            finishReason = "MAX_TOKENS";
        }

        var json = BuildSuccess(answer, finishReason, CountInputTokens(body), CountWords(answer), model, NewResponseId());
        return FakeResponse.Json(200, ToJson(json), ("Content-Type", JsonContentType));
    }

    private static JsonObject BuildSuccess(string text, string finishReason, int promptTokens, int outputTokens, string model, string responseId) => new()
    {
        ["candidates"] = new JsonArray(new JsonObject
        {
            ["content"] = new JsonObject
            {
                ["parts"] = new JsonArray(new JsonObject { ["text"] = text }),
                ["role"] = "model",
            },
            ["finishReason"] = finishReason,
            ["index"] = 0,
        }),
        ["usageMetadata"] = new JsonObject
        {
            ["promptTokenCount"] = promptTokens,
            ["candidatesTokenCount"] = outputTokens,
            ["totalTokenCount"] = promptTokens + outputTokens,
            ["promptTokensDetails"] = new JsonArray(new JsonObject { ["modality"] = "TEXT", ["tokenCount"] = promptTokens }),
        },
        ["modelVersion"] = model,
        ["responseId"] = responseId,
    };

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
