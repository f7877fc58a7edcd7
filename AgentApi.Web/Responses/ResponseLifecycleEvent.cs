namespace AgentApi.Web.Responses;

/// <summary><c>response.created</c>, <c>response.in_progress</c>, <c>response.completed</c>, <c>response.incomplete</c>, <c>response.failed</c>: the response as it stands.</summary>
internal sealed record ResponseLifecycleEvent(string Type, int SequenceNumber, ResponseObject Response);
