namespace AgentApi.Web.Responses;

/// <summary>The statuses of a response and of its items, as OpenAI names them.</summary>
internal static class ResponseStatus
{
    public const string InProgress = "in_progress";
    public const string Completed = "completed";
    public const string Incomplete = "incomplete";
    public const string Failed = "failed";
}
