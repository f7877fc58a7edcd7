using AgentApi.Core.Ask;
using AgentApi.Core.Providers;

namespace AgentApi.Web.OpenAICompatible;

/// <summary>A chat completion request, read and checked: what the pipeline needs from it.</summary>
/// <param name="Model">The model id the caller asked for.</param>
/// <param name="Query">The last user message: the question to answer now.</param>
/// <param name="History">The user, assistant and tool messages before it, oldest first.</param>
/// <param name="Instructions">Every system and developer message, in order, joined by blank lines; null when none.</param>
/// <param name="Temperature">The caller's temperature, if any.</param>
/// <param name="MaxTokens"><c>max_completion_tokens</c>, else <c>max_tokens</c>, if any.</param>
/// <param name="Stream">True for server-sent events.</param>
/// <param name="IncludeUsage"><c>stream_options.include_usage</c>.</param>
/// <param name="User">The caller's end-user id (<c>user</c> or <c>safety_identifier</c>), passed to the executor and logged at Debug, cut.</param>
internal sealed record ChatCompletionCall(
    string Model,
    string Query,
    IReadOnlyList<ChatTurn> History,
    string? Instructions,
    double? Temperature,
    int? MaxTokens,
    bool Stream,
    bool IncludeUsage,
    string? User)
{
    /// <summary><c>top_p</c>, <c>stop</c>, <c>seed</c> and the penalties, for the executor.</summary>
    public Sampling Sampling { get; init; } = Sampling.None;

    /// <summary>The assistant's tool calls and the tools' results after the question, verbatim.</summary>
    public IReadOnlyList<ChatTurn> ToolTurns { get; init; } = [];

    /// <summary><c>tools</c>, <c>tool_choice</c> and <c>parallel_tool_calls</c>; null without tools.</summary>
    public ToolSet? Tools { get; init; }

    /// <summary><c>response_format</c>; null for text.</summary>
    public ResponseFormat? ResponseFormat { get; init; }

    public AskQuery ToAskQuery(bool orchestrate) => new(Query)
    {
        ToolTurns = ToolTurns,
        Tools = Tools,
        ResponseFormat = ResponseFormat,
        History = History,
        Instructions = Instructions,
        Orchestrate = orchestrate,
        Temperature = Temperature,
        MaxOutputTokens = MaxTokens,
        Sampling = Sampling,
        EndUser = User,
    };
}
