using System.Text.Json.Serialization;
using AgentApi.Core.Responses;

namespace AgentApi.Infrastructure.Responses;

/// <summary>How stored responses are written to their tier.</summary>
[JsonSerializable(typeof(StoredResponse))]
internal sealed partial class ResponseStoreJsonContext : JsonSerializerContext;
