namespace AgentApi.Web.Responses;

/// <summary>Source-generated log methods of the Responses API. Event ids 3060–3069.</summary>
internal static partial class Log
{
    // The caller's strings (model, end user) are cut; the ask's own line (3005) is the Information one.
    [LoggerMessage(3060, LogLevel.Debug, "Response {ResponseId} for model {Model}: {Items} input items, continues {PreviousResponseId} ({EarlierItems} earlier items), {Tools} tools, text format {Format}, instructions {HasInstructions}, store {Store}, stream {Stream}, end user {EndUser}")]
    public static partial void ResponseRequested(ILogger logger, string responseId, string model, int items, string previousResponseId, int earlierItems, int tools, string format, bool hasInstructions, bool store, bool stream, string? endUser);
}
