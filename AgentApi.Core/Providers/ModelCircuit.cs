namespace AgentApi.Core.Providers;

/// <summary>The circuit breaker of one model at one provider: each model has its own, so one model's outage pauses only it.</summary>
public sealed record ModelCircuit(string Model, CircuitState State);
