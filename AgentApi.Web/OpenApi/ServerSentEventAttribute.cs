namespace AgentApi.Web.OpenApi;

/// <summary>
/// Declares one named event of an action's <c>text/event-stream</c> 200 response and the JSON of its <c>data</c>;
/// <see cref="ServerSentEventsProcessor"/> writes them into the OpenAPI document.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
internal sealed class ServerSentEventAttribute(string name, Type dataType) : Attribute
{
    public string Name { get; } = name;

    public Type DataType { get; } = dataType;
}
