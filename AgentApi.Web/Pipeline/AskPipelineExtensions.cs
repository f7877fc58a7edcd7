using AgentApi.Core.Ask;

namespace AgentApi.Web.Pipeline;

/// <summary>How an action hands its ask to the pipeline: one line, whatever the door.</summary>
internal static class AskPipelineExtensions
{
    public static Task<AskOutcome> RunAskAsync(this HttpContext context, AskQuery query, IAskDoor door) =>
        context.RequestServices.GetRequiredService<AskPipeline>().RunAsync(context, query, door);
}
