namespace AgentApi.Web.Ask;

/// <summary>The event names of <c>POST /api/ask/stream</c>, in the order they come.</summary>
public static class AskStreamEvents
{
    public const string Plan = "plan";
    public const string Delta = "delta";
    public const string Done = "done";
    public const string Error = "error";
}
