using System.Text;
using AgentApi.Core.Providers;
using AgentApi.Infrastructure.Providers.Resilience;
using Microsoft.Extensions.Logging;

namespace AgentApi.Infrastructure.Providers.Gemini;

/// <summary>
/// A model on Google's Gemini API. Gemma models reject <c>systemInstruction</c>, JSON mode, tools
/// and thinking settings with a 400, so for them the system text is folded into the user turn and
/// none of the others is ever sent.
/// </summary>
internal sealed class GeminiChatModel(IGeminiApi api, ProviderChannel channel, ProviderPolicies policies, ILogger<GeminiChatModel> logger)
    : ProviderChatModel(channel, policies, logger)
{
    protected override async Task<ChatCompletion> SendAsync(ChatRequest request, ProviderCall call, CancellationToken cancellationToken)
    {
        if (request.UsesToolsOrFormat)
        {
            // The orchestrator never gets them; an executor on this protocol cannot take a tool exchange verbatim.
            throw new ProviderException(
                ProviderFailure.Rejected,
                Channel.Role,
                Channel.Protocol,
                $"The {Channel.Role} speaks the Gemini protocol, which AgentApi gives no tools, tool results or response formats. The operator must configure an OpenAI-compatible executor for agents.");
        }

        var response = await api.GenerateContentAsync(ModelPath(call.Model), BuildRequest(call.Model, request), call, cancellationToken);
        return ToCompletion(ContentOf(response, call), call);
    }

    internal static GenerateContentRequest BuildRequest(string model, ChatRequest request)
    {
        var foldSystem = IsGemma(model) && !string.IsNullOrEmpty(request.SystemInstruction);
        var userText = foldSystem ? $"{request.SystemInstruction}\n\n{request.UserMessage}" : request.UserMessage;
        var system = !foldSystem && !string.IsNullOrEmpty(request.SystemInstruction)
            ? new GeminiContent(null, [new GeminiPart(request.SystemInstruction)])
            : null;
        var config = request.MaxOutputTokens is null && request.Temperature is null
            ? null
            : new GenerationConfig(request.MaxOutputTokens, request.Temperature);
        return new GenerateContentRequest([.. Turns(request.History), new GeminiContent("user", [new GeminiPart(userText)])], system, config);
    }

    /// <summary>
    /// Earlier turns as Gemini contents (<c>user</c> and <c>model</c>); consecutive turns of one role become one
    /// content of several parts, since some Gemini models require the roles to alternate.
    /// </summary>
    internal static List<GeminiContent> Turns(IReadOnlyList<ChatTurn>? history)
    {
        var contents = new List<GeminiContent>();
        foreach (var turn in history ?? [])
        {
            var role = turn.Role == ChatRole.User ? "user" : "model";
            if (contents.Count > 0 && contents[^1].Role == role)
            {
                contents[^1] = contents[^1] with { Parts = [.. contents[^1].Parts ?? [], new GeminiPart(turn.Text)] };
            }
            else
            {
                contents.Add(new GeminiContent(role, [new GeminiPart(turn.Text)]));
            }
        }

        return contents;
    }

    /// <summary>The SDKs accept <c>models/gemma-3-1b-it</c> as well as <c>gemma-3-1b-it</c>; the path adds the prefix itself.</summary>
    internal static string ModelPath(string model) => model.StartsWith("models/", StringComparison.Ordinal) ? model["models/".Length..] : model;

    internal static bool IsGemma(string model) => ModelPath(model).StartsWith("gemma-", StringComparison.OrdinalIgnoreCase);

    private ChatCompletion ToCompletion(GenerateContentResponse response, ProviderCall call)
    {
        var usage = new TokenUsage(
            response.UsageMetadata?.PromptTokenCount ?? 0,
            (response.UsageMetadata?.CandidatesTokenCount ?? 0) + (response.UsageMetadata?.ThoughtsTokenCount ?? 0));
        var model = response.ModelVersion ?? call.Model;

        if (response.Candidates is not { Count: > 0 } candidates)
        {
            // A blocked prompt is a 200 with no candidates and a block reason.
            return response.PromptFeedback?.BlockReason is not null
                ? new ChatCompletion(string.Empty, model, usage, FinishReason.ContentFilter)
                : throw InvalidResponse(call, "returned no candidates");
        }

        var candidate = candidates[0];
        var text = new StringBuilder();
        foreach (var part in candidate.Content?.Parts ?? [])
        {
            if (part.Thought != true)
            {
                text.Append(part.Text);
            }
        }

        return new ChatCompletion(text.ToString(), model, usage, MapFinishReason(candidate.FinishReason));
    }

    internal static FinishReason MapFinishReason(string? reason) => reason switch
    {
        "STOP" or null => FinishReason.Stop,
        "MAX_TOKENS" => FinishReason.Length,
        "SAFETY" or "BLOCKLIST" or "PROHIBITED_CONTENT" or "SPII" or "RECITATION" or "IMAGE_SAFETY" or "IMAGE_PROHIBITED_CONTENT" => FinishReason.ContentFilter,
        _ => FinishReason.Other,
    };
}
