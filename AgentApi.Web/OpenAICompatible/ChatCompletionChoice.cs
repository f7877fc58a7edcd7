namespace AgentApi.Web.OpenAICompatible;

/// <summary>The one choice of a <c>chat.completion</c>; <c>logprobs</c> is always null.</summary>
internal sealed record ChatCompletionChoice(int Index, ChatCompletionMessage Message, string FinishReason, object? Logprobs = null);
