namespace AgentApi.Web.Responses;

/// <summary>The stream's event types, each the SSE event name and the data's <c>type</c>.</summary>
internal static class ResponseEvents
{
    public const string Created = "response.created";
    public const string InProgress = "response.in_progress";
    public const string Completed = "response.completed";
    public const string Incomplete = "response.incomplete";
    public const string Failed = "response.failed";
    public const string OutputItemAdded = "response.output_item.added";
    public const string OutputItemDone = "response.output_item.done";
    public const string ContentPartAdded = "response.content_part.added";
    public const string ContentPartDone = "response.content_part.done";
    public const string TextDelta = "response.output_text.delta";
    public const string TextDone = "response.output_text.done";
    public const string RefusalDelta = "response.refusal.delta";
    public const string RefusalDone = "response.refusal.done";
    public const string ArgumentsDelta = "response.function_call_arguments.delta";
    public const string ArgumentsDone = "response.function_call_arguments.done";
    public const string Error = "error";
}
