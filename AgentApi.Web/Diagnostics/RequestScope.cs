using System.Collections;

namespace AgentApi.Web.Diagnostics;

/// <summary>
/// The logging scope of a request: a <c>RequestId</c> property that NLog writes on every line, and on the asks
/// an instance sends itself while warming up a <c>WarmUp</c> property, by which nlog.config leaves their lines out.
/// </summary>
internal sealed class RequestScope(string requestId, bool warmUp = false) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public const string PropertyName = "RequestId";
    public const string WarmUpPropertyName = "WarmUp";

    public int Count => warmUp ? 2 : 1;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new(PropertyName, requestId),
        1 when warmUp => new(WarmUpPropertyName, true),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"{PropertyName}:{requestId}";
}
