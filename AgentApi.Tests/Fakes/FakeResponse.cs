namespace AgentApi.Tests.Fakes;

/// <summary>
/// One scripted answer of a <see cref="FakeProviderServer"/>, queued with
/// <see cref="FakeProviderServer.Enqueue"/> and consumed by exactly one call to the model endpoint.
/// </summary>
public sealed class FakeResponse
{
    private FakeResponse(
        FakeResponseKind kind,
        int statusCode = 0,
        string contentType = "",
        string body = "",
        IReadOnlyList<(string Name, string Value)>? headers = null,
        TimeSpan delay = default,
        FakeResponse? then = null,
        IReadOnlyList<string>? events = null,
        FakeStreaming? stream = null)
    {
        Events = events ?? [];
        Stream = stream;
        Kind = kind;
        StatusCode = statusCode;
        ContentType = contentType;
        Body = body;
        Headers = headers ?? [];
        Delay = delay;
        Then = then;
    }

    /// <summary>The server's normal behaviour: validate the request like the real API, then answer successfully.</summary>
    public static FakeResponse Default { get; } = new(FakeResponseKind.Default);

    internal FakeResponseKind Kind { get; }

    internal int StatusCode { get; }

    internal string ContentType { get; }

    internal string Body { get; }

    internal IReadOnlyList<(string Name, string Value)> Headers { get; }

    internal TimeSpan Delay { get; }

    internal FakeResponse? Then { get; }

    /// <summary>The <c>data</c> of each event of an <see cref="FakeResponseKind.EventStream"/>, <c>[DONE]</c> included.</summary>
    internal IReadOnlyList<string> Events { get; }

    internal FakeStreaming? Stream { get; }

    /// <summary>
    /// The server's normal behaviour (validate like the real API, then answer), with a streamed answer sent the way
    /// <paramref name="stream"/> says: slowly, cut, stalled, malformed, with an in-band error or without <c>[DONE]</c>.
    /// A request that does not ask for a stream gets the normal non-streamed answer.
    /// </summary>
    public static FakeResponse Streamed(FakeStreaming stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new(FakeResponseKind.Streamed, stream: stream);
    }

    /// <summary>A 200 <c>text/event-stream</c> of <paramref name="events"/> (each the data of one event), played as <paramref name="stream"/> says.</summary>
    internal static FakeResponse EventStream(IReadOnlyList<string> events, FakeStreaming stream, params (string Name, string Value)[] headers) =>
        new(FakeResponseKind.EventStream, 200, "text/event-stream; charset=utf-8", headers: [.. headers], events: events, stream: stream);

    /// <summary>A JSON body (<c>application/json; charset=utf-8</c>) with the given status and extra headers.</summary>
    public static FakeResponse Json(int status, string body, params (string Name, string Value)[] headers) =>
        Raw(status, "application/json; charset=utf-8", body, headers);

    /// <summary>Any body with any content type, e.g. a proxy's HTML error page with 200, or truncated JSON.</summary>
    public static FakeResponse Raw(int status, string contentType, string body, params (string Name, string Value)[] headers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(status, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(status, 599);
        ArgumentNullException.ThrowIfNull(contentType);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(headers);
        return new(FakeResponseKind.Content, status, contentType, body, [.. headers]);
    }

    /// <summary>
    /// Accepts the request and never answers. The request ends when the client gives up (the connection is
    /// then aborted) or when the server is disposed, whichever comes first.
    /// </summary>
    public static FakeResponse Hang() => new(FakeResponseKind.Hang);

    /// <summary>
    /// Sends the status, headers and the start of a body, then stalls until the client gives up: a provider
    /// that dies mid-answer. The declared Content-Length is twice what is sent.
    /// </summary>
    public static FakeResponse Stall(int status, string contentType, string bodyStart) =>
        new(FakeResponseKind.Stall, status, contentType, bodyStart);

    /// <summary>Aborts the connection without sending a response (<c>HttpContext.Abort()</c>).</summary>
    public static FakeResponse Reset() => new(FakeResponseKind.Reset);

    /// <summary>
    /// A model that takes <paramref name="total"/> to write its answer, as a real one does: a request for a stream gets its
    /// headers at once and the answer in pieces <paramref name="total"/> / <paramref name="chunks"/> apart; a request for a
    /// whole answer gets it after <paramref name="total"/>.
    /// </summary>
    public static FakeResponse Generating(TimeSpan total, int chunks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunks, 1);
        return new(FakeResponseKind.Generating, delay: total, stream: new FakeStreaming { ChunkDelay = total / chunks });
    }

    /// <summary>Waits <paramref name="delay"/>, then behaves like <paramref name="then"/>.</summary>
    public static FakeResponse Delayed(TimeSpan delay, FakeResponse then)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(then);
        return new(FakeResponseKind.Delayed, delay: delay, then: then);
    }

    public override string ToString() => Kind switch
    {
        FakeResponseKind.Content => $"{StatusCode} {ContentType}",
        FakeResponseKind.Delayed => $"Delayed {Delay} then {Then}",
        FakeResponseKind.Streamed => $"Streamed {Stream}",
        FakeResponseKind.Generating => $"Generating for {Delay}",
        _ => Kind.ToString(),
    };
}
