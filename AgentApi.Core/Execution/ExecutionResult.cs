using AgentApi.Core.Ask;
using AgentApi.Core.Providers;

namespace AgentApi.Core.Execution;

/// <summary>The execution step's outcome: the executor's answer and what the call did.</summary>
public sealed record ExecutionResult(ChatCompletion Completion, StepResult Step);
