namespace AgentApi.Core.Responses;

/// <summary>
/// A stored response, as documents the Responses API serves back: the store keeps them as they are and reads nothing
/// inside them.
/// </summary>
/// <param name="Id">The response's id (<c>resp_…</c>).</param>
/// <param name="PreviousResponseId">The response it continues, when it was created with <c>previous_response_id</c>.</param>
/// <param name="Response">The <c>response</c> object the caller was answered, as JSON.</param>
/// <param name="InputItems">The input items of the request that made it, with their ids, as a JSON array.</param>
public sealed record StoredResponse(string Id, string? PreviousResponseId, string Response, string InputItems);
