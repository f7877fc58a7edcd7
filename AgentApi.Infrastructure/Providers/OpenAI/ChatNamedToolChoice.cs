namespace AgentApi.Infrastructure.Providers.OpenAI;

/// <summary><c>tool_choice</c> naming the function the model must call.</summary>
internal sealed record ChatNamedToolChoice(string Type, ChatFunctionCall Function);
