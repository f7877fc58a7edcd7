namespace AgentApi.Infrastructure.Providers.Gemini;

/// <summary>
/// One part of a content: text (<see cref="Thought"/> marks reasoning text that is not part of the answer), a
/// function call the model made, or a tool's result. The API takes one of them per part.
/// </summary>
internal sealed record GeminiPart(string? Text = null, bool? Thought = null)
{
    public GeminiFunctionCall? FunctionCall { get; init; }

    public GeminiFunctionResponse? FunctionResponse { get; init; }

    /// <summary>Base64, opaque: a thinking model's signature of the reasoning behind the part, echoed back on later turns.</summary>
    public string? ThoughtSignature { get; init; }
}
