using System.Buffers;
using System.Text.Json;
using AgentApi.Core.Ask;
using Microsoft.Extensions.Caching.Hybrid;

namespace AgentApi.Infrastructure.Caching;

/// <summary>
/// Serializes answers for Redis (and for HybridCache's size estimate) with the source-generated
/// <see cref="CacheJsonContext"/>, so no reflection runs on the hot path.
/// </summary>
internal sealed class AnswerCacheSerializer : IHybridCacheSerializer<AskAnswer>
{
    public AskAnswer Deserialize(ReadOnlySequence<byte> source)
    {
        var reader = new Utf8JsonReader(source);
        return JsonSerializer.Deserialize(ref reader, CacheJsonContext.Default.AskAnswer)
            ?? throw new JsonException("A cached answer was JSON null.");
    }

    public void Serialize(AskAnswer value, IBufferWriter<byte> target)
    {
        using var writer = new Utf8JsonWriter(target);
        JsonSerializer.Serialize(writer, value, CacheJsonContext.Default.AskAnswer);
    }
}
