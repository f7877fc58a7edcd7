using System.Diagnostics;
using System.Net;
using System.Runtime;
using AgentApi.Core.Diagnostics;
using AgentApi.Core.Providers;
using AgentApi.Web.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using OpenTelemetry;

namespace AgentApi.Web.WarmUp;

/// <summary>
/// Once the server listens, sends this instance <see cref="WarmUpOptions.Asks"/> asks over loopback, one after
/// another, through everything a caller's ask goes through (Kestrel, the middleware, MVC and validation, the cache,
/// both steps, Refit, Polly and the JSON readers), each marked by <see cref="WarmUpState"/>'s token: an ordinary ask
/// of the warm-up caller (<see cref="Core.Callers.Caller.WarmUp"/>: under no limits, labelled <c>origin="warm-up"</c>
/// in metrics, its summary line at Debug), sent with <c>Cache-Control: no-store</c>, whose providers answer from a
/// canned reply (docs/decisions/0011-warm-up-before-ready.md). Readiness is 503 until it ends; it always ends: on the last
/// ask, on the first ask that is not answered 200, after <see cref="TimeLimit"/>, or at once when the warm-up is
/// off, a provider key is missing or the server listens on no plain-HTTP address that loopback reaches. It never
/// stops the host.
/// </summary>
internal sealed class WarmUpService(
    WarmUpState state,
    IOptions<WarmUpOptions> options,
    IServer server,
    IHostApplicationLifetime lifetime,
    IConfiguration configuration,
    IWarmUpClient client,
    [FromKeyedServices(ModelRole.Orchestrator)] IChatModel orchestrator,
    [FromKeyedServices(ModelRole.Executor)] IChatModel executor,
    ILogger<WarmUpService> logger) : BackgroundService
{
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(60);

    // After the asks, while the runtime still compiles what they made hot (tier 1, in the background).
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan SettleQuiet = TimeSpan.FromMilliseconds(200);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var outcome = "Off (WARMUP_ASKS=0).";
        try
        {
            if (options.Value.Asks == 0)
            {
                return;
            }

            if (!await StartedAsync(stoppingToken))
            {
                outcome = "Stopped: the host is shutting down.";
                return;
            }

            var address = LoopbackAddress(server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []);
            outcome = !orchestrator.Info.IsConfigured || !executor.Info.IsConfigured
                ? Skipped("a provider key is missing, so no ask can be answered yet")
                : address is null
                    ? Skipped("the server listens on no plain-HTTP address that loopback reaches")
                    : await RunAsync(address, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            outcome = "Stopped: the host is shutting down.";
        }
        catch (Exception ex)
        {
            // A warm-up never stops the host: the instance is ready without it.
            outcome = Stopped(ex is OperationCanceledException ? $"the time limit of {TimeLimit.TotalSeconds:0} s passed" : ex.Message);
        }
        finally
        {
            state.Finish(outcome);
        }
    }

    /// <summary>Sends the asks and lets the runtime settle; returns what readiness says of the warm-up.</summary>
    private async Task<string> RunAsync(Uri address, CancellationToken stoppingToken)
    {
        var planned = options.Value.Asks;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        deadline.CancelAfter(TimeLimit);
        using var session = client.Open(address, HostHeader(HostingOptions.Read(configuration).AllowedHosts, address), WarmUpState.HeaderName, state.Token);

        // No span for the asks this instance sends itself (their server side is left out by the tracing filter too).
        using var untraced = SuppressInstrumentationScope.Begin();

        var nonce = Guid.NewGuid().ToString("N");
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < planned; i++)
        {
            int status;
            try
            {
                // The session sends Cache-Control: no-store (no cache reads or writes, so no Redis traffic); the nonce keeps
                // every query apart from a caller's.
                status = await session.PostJsonAsync("api/ask", $$"""{"query":"warm-up {{nonce}} {{i}}: what is the capital of France?"}""", deadline.Token);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Refused or reset: the asks stop here, the instance is ready without them.
                return Stopped(ex.Message);
            }

            state.CountSent();
            if (status != StatusCodes.Status200OK)
            {
                return Stopped($"ask {i + 1} was answered {status}");
            }
        }

        var asked = Stopwatch.GetElapsedTime(started);
        await SettleAsync(deadline.Token);
        var total = Stopwatch.GetElapsedTime(started);
        Log.WarmedUp(logger, planned, asked.TotalMilliseconds, total.TotalMilliseconds);
        return $"Warmed up: {planned} asks in {asked.TotalMilliseconds:0} ms, ready after {total.TotalMilliseconds:0} ms.";
    }

    private string Skipped(string reason)
    {
        Log.WarmUpSkipped(logger, reason);
        return $"Skipped: {reason}.";
    }

    private string Stopped(string reason)
    {
        Log.WarmUpStopped(logger, state.Sent, options.Value.Asks, reason);
        return $"Stopped after {state.Sent} of {options.Value.Asks} asks: {reason}.";
    }

    /// <summary>Waits until the runtime has compiled no method for <see cref="SettleQuiet"/>, at most <see cref="SettleLimit"/>.</summary>
    private static async Task SettleAsync(CancellationToken cancellationToken)
    {
        var until = Stopwatch.GetTimestamp() + (long)(SettleLimit.TotalSeconds * Stopwatch.Frequency);
        var compiled = JitInfo.GetCompiledMethodCount();
        while (Stopwatch.GetTimestamp() < until)
        {
            await Task.Delay(SettleQuiet, cancellationToken);
            var now = JitInfo.GetCompiledMethodCount();
            if (now == compiled)
            {
                return;
            }

            compiled = now;
        }
    }

    private async Task<bool> StartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        await started.Task;
        return !lifetime.ApplicationStopping.IsCancellationRequested;
    }

    /// <summary>
    /// Where the warm-up sends its asks: the loopback address of the first plain-HTTP address the server listens on
    /// that loopback reaches (a wildcard, a host name or a loopback address); null when there is none, e.g. when
    /// it listens only on one outside address (asks sent there would not come from loopback, so they would be
    /// ordinary asks that call the providers).
    /// </summary>
    internal static Uri? LoopbackAddress(IEnumerable<string> addresses)
    {
        foreach (var address in addresses)
        {
            var normalised = address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal);
            if (!Uri.TryCreate(normalised, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || uri.Host.Equals("unix", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            string? host = uri.HostNameType switch
            {
                UriHostNameType.IPv4 or UriHostNameType.IPv6 => IPAddress.Parse(uri.Host) switch
                {
                    var ip when ip.Equals(IPAddress.Any) => "127.0.0.1",
                    var ip when ip.Equals(IPAddress.IPv6Any) => "[::1]",
                    var ip when IPAddress.IsLoopback(ip) => uri.Host,
                    _ => null,
                },
                // localhost, or a name Kestrel binds to every address for.
                UriHostNameType.Dns => "127.0.0.1",
                _ => null,
            };
            if (host is not null)
            {
                return new Uri($"http://{host}:{uri.Port}/");
            }
        }

        return null;
    }

    /// <summary>A host <c>ALLOWED_HOSTS</c> lets through (the first one it lists), else the address itself.</summary>
    internal static string HostHeader(string? allowedHosts, Uri address)
    {
        var first = HostHeaderMiddleware.ParseAllowedHosts(allowedHosts)?[0].Value;
        return first switch
        {
            null => address.Authority,
            _ when first.StartsWith("*.", StringComparison.Ordinal) => "warm-up" + first[1..],
            _ => first,
        };
    }
}
