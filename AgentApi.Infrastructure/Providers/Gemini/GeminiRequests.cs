using System.Buffers;
using System.Text.Json;
using AgentApi.Core.Providers;

namespace AgentApi.Infrastructure.Providers.Gemini;

/// <summary>
/// A <see cref="ChatRequest"/> as a GenerateContentRequest: turns as <c>user</c>/<c>model</c> contents (tool calls as
/// <c>functionCall</c> parts, tool results as <c>functionResponse</c> parts), tools, tool choice, response format and
/// sampling. Gemma models take no system instruction, so for them it is folded into the user turn.
/// </summary>
internal static class GeminiRequests
{
    /// <summary>
    /// The placeholder signature Google documents for function calls a thinking model did not sign in this
    /// conversation (the gateway keeps no signatures between calls): Gemini 3 models reject an unsigned call of the
    /// current turn with a 400.
    /// </summary>
    internal const string UnsignedCall = "skip_thought_signature_validator";

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    public static GenerateContentRequest Build(string model, ChatRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var foldSystem = IsGemma(model) && !string.IsNullOrEmpty(request.SystemInstruction);
        var userText = foldSystem ? $"{request.SystemInstruction}\n\n{request.UserMessage}" : request.UserMessage;
        var system = !foldSystem && !string.IsNullOrEmpty(request.SystemInstruction)
            ? new GeminiContent(null, [new GeminiPart(request.SystemInstruction)])
            : null;
        List<ChatTurn> turns = [.. request.History ?? [], new ChatTurn(ChatRole.User, userText), .. request.ToolTurns];
        return new GenerateContentRequest(Contents(turns, SignsCalls(model)), system, GenerationConfigOf(request))
        {
            Tools = request.Tools is { } tools ? [new GeminiTool([.. tools.Tools.Select(DeclarationOf)])] : null,
            ToolConfig = request.Tools?.Choice is { } choice ? new GeminiToolConfig(CallingConfigOf(choice)) : null,
        };
    }

    /// <summary>
    /// Turns as Gemini contents: <c>user</c> for the user and for tools' results, <c>model</c> for the assistant.
    /// Consecutive turns of one role become one content of several parts: some models require the roles to alternate,
    /// and the results of parallel calls must answer them in one content, as many results as calls.
    /// </summary>
    internal static List<GeminiContent> Contents(IReadOnlyList<ChatTurn> turns, bool signCalls = false)
    {
        ArgumentNullException.ThrowIfNull(turns);
        var callNames = turns.SelectMany(turn => turn.ToolCalls ?? []).GroupBy(call => call.Id).ToDictionary(group => group.Key, group => group.Last().Name);
        var contents = new List<GeminiContent>();
        foreach (var turn in turns)
        {
            var role = turn.Role == ChatRole.Assistant ? "model" : "user";
            var parts = PartsOf(turn, callNames, signCalls);
            if (parts.Count == 0)
            {
                continue;
            }

            if (contents.Count > 0 && contents[^1].Role == role)
            {
                contents[^1] = contents[^1] with { Parts = [.. contents[^1].Parts ?? [], .. parts] };
            }
            else
            {
                contents.Add(new GeminiContent(role, parts));
            }
        }

        return contents;
    }

    /// <summary>The SDKs accept <c>models/gemma-3-1b-it</c> as well as <c>gemma-3-1b-it</c>; the path adds the prefix itself.</summary>
    internal static string ModelPath(string model) => model.StartsWith("models/", StringComparison.Ordinal) ? model["models/".Length..] : model;

    internal static bool IsGemma(string model) => ModelPath(model).StartsWith("gemma-", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for models that validate thought signatures on function calls: Gemini 3 and later (not 1.x, 2.x or Gemma).</summary>
    internal static bool SignsCalls(string model)
    {
        var path = ModelPath(model);
        return !IsGemma(model)
            && !path.StartsWith("gemini-1", StringComparison.OrdinalIgnoreCase)
            && !path.StartsWith("gemini-2", StringComparison.OrdinalIgnoreCase);
    }

    private static List<GeminiPart> PartsOf(ChatTurn turn, Dictionary<string, string> callNames, bool signCalls)
    {
        if (turn.Role == ChatRole.Tool)
        {
            var id = turn.ToolCallId ?? string.Empty;
            var name = callNames.TryGetValue(id, out var called)
                ? called
                : throw new InvalidOperationException($"A tool result answers call '{id}', which no earlier assistant turn made.");
            return [new GeminiPart { FunctionResponse = new GeminiFunctionResponse(name, ResultOf(turn.Text)) }];
        }

        var parts = new List<GeminiPart>();
        if (turn.Text.Length > 0 || turn.ToolCalls is not { Count: > 0 })
        {
            parts.Add(new GeminiPart(turn.Text));
        }

        foreach (var call in turn.ToolCalls ?? [])
        {
            // The signature goes on the first call of a turn, as the API puts it there.
            var first = parts.All(part => part.FunctionCall is null);
            parts.Add(new GeminiPart
            {
                FunctionCall = new GeminiFunctionCall(call.Name, ArgumentsOf(call.Arguments)),
                ThoughtSignature = signCalls && first ? UnsignedCall : null,
            });
        }

        return parts;
    }

    /// <summary>The call's arguments as the object the API requires; anything else (the model may write invalid JSON) is sent as no arguments.</summary>
    private static JsonElement? ArgumentsOf(string arguments) =>
        TryParse(arguments) is { ValueKind: JsonValueKind.Object } args ? args : null;

    /// <summary>
    /// A tool's result as the JSON object <c>functionResponse.response</c> must be: <c>{"output": …}</c>, the key the API
    /// documents for a function's output, holding the text parsed as JSON when it is JSON, else the text.
    /// </summary>
    private static JsonElement ResultOf(string text)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("output");
            if (TryParse(text) is { } json)
            {
                json.WriteTo(writer);
            }
            else
            {
                writer.WriteStringValue(text);
            }

            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static JsonElement? TryParse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static GeminiFunctionDeclaration DeclarationOf(ToolDefinition tool) =>
        new(tool.Name, tool.Description, tool.Parameters is null ? null : TryParse(tool.Parameters) ?? EmptyObject);

    /// <summary>OpenAI's tool choice: <c>required</c> is <c>ANY</c>, a named function is <c>ANY</c> allowed only that one.</summary>
    private static GeminiFunctionCallingConfig CallingConfigOf(ToolChoice choice) => choice.Mode switch
    {
        ToolChoiceMode.None => new("NONE"),
        ToolChoiceMode.Auto => new("AUTO"),
        ToolChoiceMode.Required => new("ANY"),
        _ => new("ANY", [choice.Name ?? string.Empty]),
    };

    private static GenerationConfig? GenerationConfigOf(ChatRequest request)
    {
        var sampling = request.Sampling;
        var format = request.ResponseFormat;
        var config = new GenerationConfig(request.MaxOutputTokens, request.Temperature)
        {
            TopP = sampling.TopP,
            StopSequences = sampling.Stop is { Count: > 0 } stop ? stop : null,

            // OpenAI's seed is 64-bit, Gemini's 32-bit: the low 32 bits keep one seed one seed.
            Seed = sampling.Seed is { } seed ? unchecked((int)seed) : null,
            PresencePenalty = sampling.PresencePenalty,
            FrequencyPenalty = sampling.FrequencyPenalty,
            ResponseMimeType = format?.Kind is ResponseFormatKind.JsonObject or ResponseFormatKind.JsonSchema ? "application/json" : null,
            ResponseJsonSchema = format is { Kind: ResponseFormatKind.JsonSchema, Schema: { } schema } ? TryParse(schema) : null,
        };
        return config == new GenerationConfig() ? null : config;
    }
}
