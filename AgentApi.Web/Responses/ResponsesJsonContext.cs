using System.Text.Json.Serialization;

namespace AgentApi.Web.Responses;

/// <summary>Source-generated JSON of <c>/v1/responses</c>: OpenAI's snake_case names, nulls written, as the rest of <c>/v1</c>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ResponseObject))]
[JsonSerializable(typeof(IReadOnlyList<ResponseItem>))]
[JsonSerializable(typeof(ResponseItemList))]
[JsonSerializable(typeof(ResponseDeleted))]
[JsonSerializable(typeof(ResponseLifecycleEvent))]
[JsonSerializable(typeof(ResponseOutputItemEvent))]
[JsonSerializable(typeof(ResponseContentPartEvent))]
[JsonSerializable(typeof(ResponseTextDeltaEvent))]
[JsonSerializable(typeof(ResponseTextDoneEvent))]
[JsonSerializable(typeof(ResponseRefusalDeltaEvent))]
[JsonSerializable(typeof(ResponseRefusalDoneEvent))]
[JsonSerializable(typeof(ResponseFunctionCallArgumentsDeltaEvent))]
[JsonSerializable(typeof(ResponseFunctionCallArgumentsDoneEvent))]
[JsonSerializable(typeof(ResponseErrorEvent))]
internal sealed partial class ResponsesJsonContext : JsonSerializerContext;
