using System.Collections;

namespace AgentApi.Web.Diagnostics;

/// <summary>
/// The logging scope of a request: a <c>RequestId</c> property that NLog writes on every line.
/// </summary>
internal sealed class RequestScope(string requestId) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public const string PropertyName = "RequestId";

    public int Count => 1;

    public KeyValuePair<string, object?> this[int index] => index == 0
        ? new(PropertyName, requestId)
        : throw new ArgumentOutOfRangeException(nameof(index));

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
