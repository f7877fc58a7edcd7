namespace AgentApi.Web.Responses;

/// <summary><c>response.output_item.added</c> and <c>response.output_item.done</c>.</summary>
internal sealed record ResponseOutputItemEvent(string Type, int SequenceNumber, int OutputIndex, ResponseItem Item);
