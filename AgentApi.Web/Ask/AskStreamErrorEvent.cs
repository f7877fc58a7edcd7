namespace AgentApi.Web.Ask;

/// <summary>
/// Event <c>error</c>, last of a stream that failed after it started: the deltas so far are not a whole answer,
/// and no <c>done</c> follows. The fields are those of the problem details <c>/api/ask</c> answers for the same failure.
/// </summary>
/// <example>{ "type": "urn:agentapi:problem:provider-error", "title": "Provider error", "status": 502, "detail": "The executor provider's answer broke off before it was complete. Try again later.", "requestId": "readme-stream-1", "role": "executor", "provider": "openai", "traceId": "4bf92f3577b34da6a3ce929d0e0e4736" }</example>
/// <param name="Type">The problem type, <c>urn:agentapi:problem:*</c>.</param>
/// <param name="Title">The problem's title.</param>
/// <param name="Status">The status <c>/api/ask</c> would have answered.</param>
/// <param name="Detail">What happened and what to do, safe to show.</param>
/// <param name="RequestId">The request's ID, also in the <c>X-Request-ID</c> header.</param>
/// <param name="Role">The failing step (<c>orchestrator</c> or <c>executor</c>), for provider failures.</param>
/// <param name="Provider">The failing step's provider, for provider failures.</param>
/// <param name="TraceId">The request's W3C trace ID, as in problem details: the trace to look up (docs/tracing.md).</param>
public sealed record AskStreamErrorEvent(string Type, string Title, int Status, string Detail, string RequestId, string? Role, string? Provider, string? TraceId);
