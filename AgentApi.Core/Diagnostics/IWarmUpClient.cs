namespace AgentApi.Core.Diagnostics;

/// <summary>
/// Sends the warm-up's asks to this instance over loopback (<see cref="WarmUpScope"/>). Infrastructure implements
/// it, as it does every outgoing HTTP client; the host decides what to send and when.
/// </summary>
public interface IWarmUpClient
{
    /// <summary>A connection to <paramref name="address"/> that sends <paramref name="host"/> and the marker header with every request; dispose it to close the connection.</summary>
    IWarmUpSession Open(Uri address, string host, string markerHeader, string markerValue);
}

/// <summary>One warm-up's connection to this instance.</summary>
public interface IWarmUpSession : IDisposable
{
    /// <summary>POSTs <paramref name="json"/> to <paramref name="path"/>, reads the whole answer, and returns its status code.</summary>
    Task<int> PostJsonAsync(string path, string json, CancellationToken cancellationToken);
}
