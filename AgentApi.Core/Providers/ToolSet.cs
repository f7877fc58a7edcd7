namespace AgentApi.Core.Providers;

/// <summary>
/// The functions a caller offers the executor, and how it may call them. Only the executor gets the set; the
/// orchestrator sees the tools' names and descriptions in its prompt (the Gemini API rejects function calling for Gemma).
/// </summary>
/// <param name="Tools">The functions, in the caller's order; never empty.</param>
/// <param name="Choice">OpenAI's <c>tool_choice</c>; null for the provider's default (<c>auto</c>).</param>
/// <param name="ParallelToolCalls">OpenAI's <c>parallel_tool_calls</c>; null for the provider's default (true).</param>
public sealed record ToolSet(IReadOnlyList<ToolDefinition> Tools, ToolChoice? Choice = null, bool? ParallelToolCalls = null);
