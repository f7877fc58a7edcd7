using System.Text.Json.Serialization;
using AgentApi.Core.Ask;

namespace AgentApi.Infrastructure.Caching;

/// <summary>How answers are stored in Redis. Computed properties (<c>IsCacheable</c>, <c>Total</c>) are left out.</summary>
[JsonSourceGenerationOptions(IgnoreReadOnlyProperties = true)]
[JsonSerializable(typeof(AskAnswer))]
internal sealed partial class CacheJsonContext : JsonSerializerContext;
