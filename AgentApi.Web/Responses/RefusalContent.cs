namespace AgentApi.Web.Responses;

/// <summary>A <c>refusal</c> part: the executor declined (e.g. to fill a JSON Schema).</summary>
internal sealed record RefusalContent(string Refusal) : ResponseContent;
