namespace AgentApi.Core.Providers;

/// <summary>
/// What one layer does to one streamed call (<see cref="ChatStreams.RelayAsync"/>): one instance per call, so it may
/// hold the call's state. The defaults pass everything through.
/// </summary>
public class ChatStreamObserver
{
    /// <summary>Observes nothing.</summary>
    public static readonly ChatStreamObserver Passthrough = new();

    /// <summary>Before the stream is opened: the token to open and read it with.</summary>
    public virtual CancellationToken OnStart(CancellationToken cancellationToken) => cancellationToken;

    /// <summary>An update on its way to the reader; returns what to hand on.</summary>
    public virtual ChatStreamUpdate OnUpdate(ChatStreamUpdate update) => update;

    /// <summary>The stream failed; returns the exception to throw (the same one to let it through).</summary>
    public virtual Exception OnFailure(Exception exception) => exception;

    /// <summary>The stream ended: <paramref name="finished"/> after its last update, else on a failure or when the reader left.</summary>
    public virtual void OnEnd(bool finished)
    {
    }
}
