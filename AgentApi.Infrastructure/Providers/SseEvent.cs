namespace AgentApi.Infrastructure.Providers;

/// <summary>One server-sent event: its type (<c>event:</c>, <c>message</c> when none is named) and its data.</summary>
internal readonly record struct SseEvent(string Type, string Data);
