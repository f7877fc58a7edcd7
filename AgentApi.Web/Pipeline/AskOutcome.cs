using AgentApi.Core.Ask;

namespace AgentApi.Web.Pipeline;

/// <summary>How one ask through a door ended: what the caller was answered, the answer if there was one, and what it spent.</summary>
/// <param name="Status">The HTTP status the caller got (200 for a stream that started, whatever came after; 499 when the caller left before any answer).</param>
/// <param name="Result">The answer, when the ask produced or found one.</param>
/// <param name="Spent">What the providers spent for this request, charged to the caller.</param>
/// <param name="Ending">How it ended, for the summary line: <c>answered</c>, <c>refused</c>, <c>failed</c>, <c>failed after start</c>, <c>content filtered</c>, <c>caller left</c>.</param>
internal sealed record AskOutcome(int Status, AskResult? Result, AskSpend Spent, string Ending);
