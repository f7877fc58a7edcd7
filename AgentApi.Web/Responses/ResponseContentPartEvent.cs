namespace AgentApi.Web.Responses;

/// <summary><c>response.content_part.added</c> and <c>response.content_part.done</c>.</summary>
internal sealed record ResponseContentPartEvent(string Type, int SequenceNumber, string ItemId, int OutputIndex, int ContentIndex, ResponseContent Part);
