namespace AgentApi.Tests.Fakes;

/// <summary>
/// How a fake sends a streamed (<c>text/event-stream</c>) answer. Positions count the events the fake writes, the
/// first being OpenAI's role chunk: <c>CutAfter = 3</c> sends the role chunk and two text chunks, then drops the
/// connection. Gemini's chunks are one a word, the last carrying the finish reason and usage; Anthropic's fake counts
/// its frames from <c>message_start</c>, <c>ping</c> included.
/// </summary>
public sealed record FakeStreaming
{
    /// <summary>The real API's stream, as fast as the socket allows.</summary>
    public static FakeStreaming Normal { get; } = new();

    /// <summary>Wait before each event after the first, so a client can be seen reading while the fake still writes.</summary>
    public TimeSpan ChunkDelay { get; init; }

    /// <summary>
    /// Wait <see cref="Pause"/> before the event at this position (on top of <see cref="ChunkDelay"/>), e.g. before
    /// OpenAI's usage chunk, so a client can receive the whole text and leave before the usage arrives.
    /// </summary>
    public int? PauseBefore { get; init; }

    /// <summary>How long to wait before the event at <see cref="PauseBefore"/>.</summary>
    public TimeSpan Pause { get; init; }

    /// <summary>Abort the connection (no terminating chunk) after this many events.</summary>
    public int? CutAfter { get; init; }

    /// <summary>Stop sending, connection open, after this many events, until the client gives up.</summary>
    public int? StallAfter { get; init; }

    /// <summary>After this many events, send an event whose data is cut-off JSON, then carry on.</summary>
    public int? MalformedAfter { get; init; }

    /// <summary>After this many events, send an in-band <c>{"error": {...}}</c> event (Anthropic: <c>event: error</c>, <c>overloaded_error</c>) and end the body, as servers do.</summary>
    public int? ErrorAfter { get; init; }

    /// <summary>End the body cleanly but without the final event: OpenAI's <c>data: [DONE]</c>, Gemini's chunk with the finish reason, Anthropic's <c>message_stop</c>.</summary>
    public bool OmitDone { get; init; }
}
