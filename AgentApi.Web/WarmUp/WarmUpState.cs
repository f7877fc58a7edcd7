using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace AgentApi.Web.WarmUp;

/// <summary>
/// How far the warm-up is, and the secret that marks its asks: a random token made at start, held only in
/// memory and sent only over loopback. A request is a warm-up ask only while the warm-up runs, only on
/// <c>/api/ask</c> and <c>/api/ask/stream</c>, only from a loopback address and only with that token in
/// <see cref="HeaderName"/>; anything else (a wrong, stale or guessed token, another endpoint, after the
/// warm-up) is an ordinary request.
/// </summary>
internal sealed class WarmUpState
{
    public const string HeaderName = "X-AgentApi-Warm-Up";

    private static readonly PathString AskPath = "/api/ask";
    private static readonly PathString AskStreamPath = "/api/ask/stream";

    private readonly byte[] _token = Encoding.ASCII.GetBytes(Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
    private volatile bool _finished;
    private int _sent;

    /// <summary>The token's value for the warm-up's own requests.</summary>
    public string Token => Encoding.ASCII.GetString(_token);

    /// <summary>True once the warm-up has ended, however it ended (or was off); readiness waits for it.</summary>
    public bool Finished => _finished;

    public int Sent => Volatile.Read(ref _sent);

    public void CountSent() => Interlocked.Increment(ref _sent);

    /// <summary>What the warm-up did, for readiness: null while it runs.</summary>
    public string? Outcome { get; private set; }

    public void Finish(string outcome)
    {
        Outcome = outcome;
        _finished = true;
    }

    /// <summary>Once the warm-up has ended this costs one field read: no header is looked up on a caller's request.</summary>
    public bool IsWarmUpRequest(HttpContext context) =>
        !_finished && IsWarmUpRequest(context.Request.Path, context.Request.Headers[HeaderName], context.Connection.RemoteIpAddress);

    public bool IsWarmUpRequest(PathString path, StringValues header, IPAddress? remote)
    {
        if (_finished || header.Count != 1 || header[0] is not { Length: > 0 } value || remote is null || !IPAddress.IsLoopback(remote)
            || !(path.Equals(AskPath) || path.Equals(AskStreamPath)))
        {
            return false;
        }

        Span<byte> presented = stackalloc byte[128];
        return Encoding.ASCII.GetByteCount(value) == _token.Length
            && Encoding.ASCII.GetBytes(value, presented) == _token.Length
            && CryptographicOperations.FixedTimeEquals(presented[.._token.Length], _token);
    }
}
