using AgentApi.Core.Ask;
using AgentApi.Core.Providers;
using AgentApi.Web.OpenAICompatible;

namespace AgentApi.Web.Responses;

/// <summary>A Responses API request, read and checked (<see cref="ResponseRequestReader"/>): what the door needs from it.</summary>
/// <param name="Model">The model id the caller asked for.</param>
/// <param name="Input">The request's input items, in order.</param>
internal sealed record ResponseRequest(string Model, IReadOnlyList<PlacedItem> Input)
{
    public string? Instructions { get; init; }

    public string? PreviousResponseId { get; init; }

    /// <summary>False when the caller asked for the response not to be stored (<c>store: false</c>).</summary>
    public bool Store { get; init; } = true;

    public bool Stream { get; init; }

    /// <summary>The function tools with their choice; null without tools.</summary>
    public ToolSet? Tools { get; init; }

    /// <summary><c>tool_choice</c> as sent, echoed in the response even without tools.</summary>
    public ToolChoice? ToolChoice { get; init; }

    public bool? ParallelToolCalls { get; init; }

    /// <summary><c>text.format</c>; null for text.</summary>
    public ResponseFormat? Format { get; init; }

    public double? Temperature { get; init; }

    public double? TopP { get; init; }

    public int? MaxOutputTokens { get; init; }

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    public string? User { get; init; }

    public string? SafetyIdentifier { get; init; }

    /// <summary>The ask for the pipeline: the conversation rebuilt from the stored chain and this request's input.</summary>
    public AskQuery ToAskQuery(OpenAIConversation conversation, bool orchestrate) => new(conversation.Query)
    {
        History = conversation.History,
        ToolTurns = conversation.ToolTurns,
        Instructions = conversation.Instructions,
        Tools = Tools,
        ResponseFormat = Format,
        Orchestrate = orchestrate,
        Temperature = Temperature,
        MaxOutputTokens = MaxOutputTokens,
        Sampling = TopP is null ? Sampling.None : new Sampling(TopP: TopP),
        EndUser = SafetyIdentifier ?? User,
    };
}
