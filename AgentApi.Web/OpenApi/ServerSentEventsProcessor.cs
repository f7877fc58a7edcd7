using System.Reflection;
using System.Text;
using AgentApi.Web.Ask;
using Namotion.Reflection;
using NJsonSchema;
using NSwag;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace AgentApi.Web.OpenApi;

/// <summary>
/// OpenAPI cannot describe an event stream's events, so an action with <see cref="ServerSentEventAttribute"/>s gets:
/// its 200 response as <c>text/event-stream</c> with a binary string schema (generated clients hand back the raw
/// stream to read), each event's data as a component schema (generated clients get the event types), the events
/// listed in the description and in <c>x-events</c> (event name → schema name), and an example stream.
/// </summary>
internal sealed class ServerSentEventsProcessor : IOperationProcessor
{
    public bool Process(OperationProcessorContext context)
    {
        var events = context.MethodInfo.GetCustomAttributes<ServerSentEventAttribute>().ToList();
        if (events.Count == 0 || !context.OperationDescription.Operation.Responses.TryGetValue("200", out var response))
        {
            return true;
        }

        var description = new StringBuilder("A `text/event-stream` of named events, each with one `data:` line of JSON:");
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var declared in events)
        {
            var reference = context.SchemaGenerator.GenerateWithReference<JsonSchema>(declared.DataType.ToContextualType(), context.SchemaResolver);
            var schemaName = context.Document.Definitions.Single(d => d.Value == reference.Reference).Key;
            names[declared.Name] = schemaName;
            description.Append("\n- `").Append(declared.Name).Append("`: `").Append(schemaName).Append('`');
        }

        description.Append("\n\nLines starting with `:` are heartbeat comments; skip them. A stream that ends without `done` is incomplete.");
        response.Description = description.ToString();
        response.ExtensionData ??= new Dictionary<string, object?>();
        response.ExtensionData["x-events"] = names;
        response.Content.Clear();
        response.Content[ServerSentEventStream.MediaType] = new OpenApiMediaType
        {
            Schema = new JsonSchema { Type = JsonObjectType.String, Format = JsonFormatStrings.Binary },
            Example = Example,
        };
        return true;
    }

    private const string Example =
        "event: plan\ndata: {\"requestId\":\"readme-stream-1\",\"route\":\"general\",\"refinedPrompt\":\"Name the capital of France in one sentence.\",\"fallback\":false,\"fallbackReason\":null,\"cached\":false}\n\n"
        + "event: delta\ndata: {\"text\":\"Paris is\"}\n\n"
        + "event: delta\ndata: {\"text\":\" the capital of France.\"}\n\n"
        + ": keep-alive\n\n"
        + "event: done\ndata: {\"requestId\":\"readme-stream-1\",\"cached\":false,\"fallback\":false,\"fallbackReason\":null,\"truncated\":false,\"finishReason\":\"stop\",\"route\":\"general\","
        + "\"orchestrator\":{\"provider\":\"gemini\",\"model\":\"gemma-3-1b-it\",\"inputTokens\":212,\"outputTokens\":31,\"durationMs\":412.5,\"attempts\":1},"
        + "\"executor\":{\"provider\":\"openai\",\"model\":\"gpt-4o-mini-2024-07-18\",\"inputTokens\":58,\"outputTokens\":9,\"durationMs\":633.21,\"attempts\":1},"
        + "\"usage\":{\"inputTokens\":270,\"outputTokens\":40,\"totalTokens\":310},\"durationMs\":1052.93}\n\n";
}
