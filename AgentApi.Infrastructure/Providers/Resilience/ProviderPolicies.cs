using System.Collections.Concurrent;
using AgentApi.Core.Diagnostics;
using ModelCircuit = AgentApi.Core.Providers.ModelCircuit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Extensions.Http;
using Polly.Timeout;
using CoreCircuitState = AgentApi.Core.Providers.CircuitState;

namespace AgentApi.Infrastructure.Providers.Resilience;

/// <summary>
/// Every provider model's Polly pipeline, built once per provider and model: retry (outermost) → circuit breaker →
/// per-attempt timeout. One breaker per model, so one model's outage (or one caller's asks of it) pauses only that model;
/// an attempt is timed to the response's first byte (a streamed answer's body is read after it, bounded by the deadline
/// and the stream's stall limit), so an answer that is merely long never counts as a failure. The retry reads each call's deadline and fault from the request
/// (<see cref="ProviderCall"/>), so it never sleeps past the deadline and never parses a response again.
/// The instance's warm-up asks (<see cref="WarmUpScope"/>) get a pipeline of the same shape with a breaker of
/// their own: their canned successes must not fill the real breaker's window, where they would outweigh the
/// failures of a provider outage that begins just after start.
/// </summary>
internal sealed class ProviderPolicies(IOptions<ResilienceOptions> options, TimeProvider timeProvider, ILogger<ProviderPolicies> logger, AgentApiMetrics metrics)
{
    private static readonly TimeSpan MinimumAttemptWindow = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<PipelineKey, Breaker> _breakers = new();
    private readonly ConcurrentDictionary<PipelineKey, IAsyncPolicy<HttpResponseMessage>> _pipelines = new();


    /// <summary>The pipeline of the model <paramref name="request"/> asks for (its <see cref="ProviderCall"/>), or of <paramref name="fallback"/>'s model.</summary>
    public IAsyncPolicy<HttpResponseMessage> For(HttpRequestMessage request, ProviderChannel fallback)
    {
        var call = ProviderCall.From(request);
        return For(call?.Channel ?? fallback, call?.Model ?? fallback.Model);
    }

    public IAsyncPolicy<HttpResponseMessage> For(ProviderChannel channel, string model) => _pipelines.GetOrAdd(KeyOf(channel, model), key =>
    {
        var settings = options.Value;
        var retry = Policy<HttpResponseMessage>
            .Handle<HttpRequestException>()
            .Or<TimeoutRejectedException>()
            .OrResult(response => ProviderCall.From(response.RequestMessage)?.LastFault is { ShouldRetry: true } fault && WaitFitsBudget(fault, response.RequestMessage, channel))
            .WaitAndRetryAsync(
                settings.MaxAttempts - 1,
                sleepDurationProvider: (attempt, outcome, _) => Delay(attempt, outcome, settings),
                onRetryAsync: (outcome, delay, attempt, context) =>
                {
                    var reason = outcome.Exception?.GetType().Name ?? $"HTTP {(int)outcome.Result.StatusCode}";
                    Log.Retrying(logger, channel.Role, channel.Name, model, attempt + 1, reason, delay.TotalMilliseconds);
                    metrics.RecordRetry(channel.Role, channel.Name, model, reason);
                    AgentApiActivity.RecordRetry(attempt + 1, reason, delay);
                    return Task.CompletedTask;
                });
        var timeout = Policy.TimeoutAsync<HttpResponseMessage>(channel.AttemptTimeout, TimeoutStrategy.Optimistic);
        return Policy.WrapAsync(retry, BreakerFor(channel, model, key).Policy, timeout);
    });

    /// <summary>The circuit of <paramref name="model"/> at <paramref name="channel"/>'s provider (the real one, never the warm-up's).</summary>
    public CoreCircuitState StateOf(ProviderChannel channel, string model) =>
        _breakers.TryGetValue(Key(channel, model), out var breaker) ? StateOf(breaker) : CoreCircuitState.Closed;

    /// <summary>The circuit of the channel's own model and of every model called at its provider, by model.</summary>
    public IReadOnlyList<ModelCircuit> CircuitsOf(ProviderChannel channel)
    {
        var circuits = new List<ModelCircuit> { new(channel.Model, StateOf(channel, channel.Model)) };
        foreach (var (key, breaker) in _breakers)
        {
            if (key.Role == channel.Role && key.Provider == channel.Name && !key.WarmUp && key.Model != channel.Model)
            {
                circuits.Add(new ModelCircuit(key.Model, StateOf(breaker)));
            }
        }

        return circuits;
    }

    /// <summary>How long an open circuit stays open; null when closed.</summary>
    public TimeSpan? OpenFor(ProviderChannel channel, string model)
    {
        if (!_breakers.TryGetValue(KeyOf(channel, model), out var breaker) || StateOf(breaker) != CoreCircuitState.Open)
        {
            return null;
        }

        var remaining = breaker.OpenUntil - timeProvider.GetUtcNow();
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.FromSeconds(1);
    }

    private static CoreCircuitState StateOf(Breaker breaker) => breaker.Policy.CircuitState switch
    {
        CircuitState.Open or CircuitState.Isolated => CoreCircuitState.Open,
        CircuitState.HalfOpen => CoreCircuitState.HalfOpen,
        _ => CoreCircuitState.Closed,
    };

    // Providers serve both roles under one name only when the operator says so; the role keeps their breakers apart anyway.
    // A value key: looked up on every attempt, so nothing is allocated for it.
    private static PipelineKey Key(ProviderChannel channel, string model) => new(channel.Role, channel.Name, model, WarmUp: false);

    private static PipelineKey KeyOf(ProviderChannel channel, string model) => new(channel.Role, channel.Name, model, WarmUpScope.IsActive);

    private Breaker BreakerFor(ProviderChannel channel, string model, PipelineKey key) => _breakers.GetOrAdd(key, _ =>
    {
        var settings = options.Value;
        var breaker = new Breaker();
        breaker.Policy = HttpPolicyExtensions
            .HandleTransientHttpError()
            .Or<TimeoutRejectedException>()
            .AdvancedCircuitBreakerAsync(
                settings.BreakerFailureRatio,
                settings.BreakerSamplingDuration,
                settings.BreakerMinimumCalls,
                settings.BreakDuration,
                onBreak: (outcome, duration) =>
                {
                    breaker.OpenUntil = timeProvider.GetUtcNow() + duration;
                    Log.CircuitOpened(logger, channel.Role, channel.Name, model, duration.TotalSeconds, outcome.Exception?.GetType().Name ?? $"HTTP {(int)outcome.Result.StatusCode}");
                },
                onReset: () => Log.CircuitClosed(logger, channel.Role, channel.Name, model),
                onHalfOpen: () => Log.CircuitHalfOpen(logger, channel.Role, channel.Name, model));
        return breaker;
    });

    /// <summary>A retry is worth it only if, after the wait, there is still time for an attempt (up to one second of it).</summary>
    private bool WaitFitsBudget(ProviderFault fault, HttpRequestMessage? request, ProviderChannel channel)
    {
        if (ProviderCall.From(request)?.Deadline is not { } deadline)
        {
            return true;
        }

        var attemptWindow = channel.AttemptTimeout < MinimumAttemptWindow ? channel.AttemptTimeout : MinimumAttemptWindow;
        return timeProvider.GetUtcNow() + (fault.RetryAfter ?? TimeSpan.Zero) + attemptWindow < deadline;
    }

    private static TimeSpan Delay(int attempt, DelegateResult<HttpResponseMessage> outcome, ResilienceOptions settings)
    {
        if (ProviderCall.From(outcome.Result?.RequestMessage)?.LastFault?.RetryAfter is { } asked)
        {
            return asked;
        }

        // Exponential backoff with full jitter: spreads retries of many callers over the whole window.
        var ceiling = Math.Min(settings.MaxDelay.TotalMilliseconds, settings.BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }

    private readonly record struct PipelineKey(string Role, string Provider, string Model, bool WarmUp);

    private sealed class Breaker
    {
        public AsyncCircuitBreakerPolicy<HttpResponseMessage> Policy { get; set; } = null!;

        public DateTimeOffset OpenUntil { get; set; }
    }
}
