using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentApi.Core.Providers;

namespace AgentApi.Infrastructure.Providers.Gemini;

/// <summary>
/// An answer joined from GenerateContentResponse objects: the one of <c>generateContent</c>, or the chunks of a stream,
/// each a delta. Text of thought parts is skipped; each function call arrives whole and becomes one tool-call piece; the
/// usage and model are the last chunk's; a blocked prompt (no candidates, a block reason) is a content-filtered answer.
/// </summary>
internal sealed class GeminiAnswer
{
    private readonly StringBuilder _text = new();
    private readonly List<ToolCall> _toolCalls = [];
    private GeminiUsageMetadata? _usage;
    private string? _model;
    private string? _finishReason;
    private bool _blocked;

    /// <summary>True once a candidate arrived.</summary>
    public bool HasCandidate { get; private set; }

    /// <summary>True once the answer's end arrived: a finish reason, or a blocked prompt.</summary>
    public bool IsComplete => _finishReason is not null || _blocked;

    /// <summary>Adds one response and returns the pieces it carried, in order: text deltas and whole tool calls.</summary>
    public List<ChatStreamUpdate> Add(GenerateContentResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var pieces = new List<ChatStreamUpdate>();
        _model = response.ModelVersion ?? _model;
        _usage = response.UsageMetadata ?? _usage;
        _blocked |= response.PromptFeedback?.BlockReason is not null;
        if (response.Candidates is not { Count: > 0 } candidates)
        {
            return pieces;
        }

        // One candidate is asked for; index 0 is it.
        var candidate = candidates.FirstOrDefault(c => (c.Index ?? 0) == 0) ?? candidates[0];
        HasCandidate = true;
        foreach (var part in candidate.Content?.Parts ?? [])
        {
            if (part.FunctionCall is { } call)
            {
                // The API sends no id on generateContent; callers answer a call by its id, so it gets one.
                var toolCall = new ToolCall(call.Id ?? NewCallId(), call.Name ?? string.Empty, ArgumentsOf(call.Args));
                pieces.Add(ChatStreamUpdate.ToolCallPiece(new ToolCallDelta(_toolCalls.Count, toolCall.Id, toolCall.Name, toolCall.Arguments)));
                _toolCalls.Add(toolCall);
            }
            else if (part.Thought != true && part.Text is { Length: > 0 } text)
            {
                _text.Append(text);
                pieces.Add(ChatStreamUpdate.Delta(text));
            }
        }

        _finishReason = candidate.FinishReason ?? _finishReason;
        return pieces;
    }

    /// <summary>The answer so far as a completion; <paramref name="model"/> when the API named no model version.</summary>
    public ChatCompletion ToCompletion(string model)
    {
        var usage = new TokenUsage(
            (_usage?.PromptTokenCount ?? 0) + (_usage?.ToolUsePromptTokenCount ?? 0),
            (_usage?.CandidatesTokenCount ?? 0) + (_usage?.ThoughtsTokenCount ?? 0));
        var finish = _blocked && !HasCandidate ? FinishReason.ContentFilter : MapFinishReason(_finishReason);
        if (finish == FinishReason.Stop && _toolCalls.Count > 0)
        {
            // Gemini says STOP after calling functions; the caller must run them.
            finish = FinishReason.ToolCalls;
        }

        return new ChatCompletion(_text.ToString(), _model ?? model, usage, finish) { ToolCalls = [.. _toolCalls] };
    }

    /// <summary>Gemini's finish reason, normalised; unknown and new values are <see cref="FinishReason.Other"/>.</summary>
    internal static FinishReason MapFinishReason(string? reason) => reason switch
    {
        "STOP" or null => FinishReason.Stop,
        "MAX_TOKENS" => FinishReason.Length,
        "SAFETY" or "BLOCKLIST" or "PROHIBITED_CONTENT" or "SPII" or "RECITATION" or "IMAGE_SAFETY" or "IMAGE_PROHIBITED_CONTENT" or "IMAGE_RECITATION" => FinishReason.ContentFilter,
        _ => FinishReason.Other,
    };

    private static string ArgumentsOf(JsonElement? args) =>
        args is { ValueKind: JsonValueKind.Object or JsonValueKind.Array } value ? value.GetRawText() : "{}";

    /// <summary>The shape of OpenAI's call ids: <c>call_</c> and 24 random hex digits.</summary>
    private static string NewCallId() => "call_" + RandomNumberGenerator.GetHexString(24, lowercase: true);
}
