using System.Collections.Concurrent;
using AgentApi.Core.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Extensions.Http;
using Polly.Timeout;
using CoreCircuitState = AgentApi.Core.Providers.CircuitState;

namespace AgentApi.Infrastructure.Providers.Resilience;

/// <summary>
/// Every provider role's Polly pipeline, built once per role: retry (outermost) → circuit breaker →
/// per-attempt timeout. The retry reads each call's deadline and fault from the request
/// (<see cref="ProviderCall"/>), so it never sleeps past the deadline and never parses a response again.
/// The instance's warm-up asks (<see cref="WarmUpScope"/>) get a pipeline of the same shape with a breaker of
/// their own: their canned successes must not fill the real breaker's window, where they would outweigh the
/// failures of a provider outage that begins just after start.
/// </summary>
internal sealed class ProviderPolicies(IOptions<ResilienceOptions> options, TimeProvider timeProvider, ILogger<ProviderPolicies> logger, AgentApiMetrics metrics)
{
    private static readonly TimeSpan MinimumAttemptWindow = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, Breaker> _breakers = new();
    private readonly ConcurrentDictionary<string, IAsyncPolicy<HttpResponseMessage>> _pipelines = new();

    private const string WarmUpSuffix = " (warm-up)";

    public IAsyncPolicy<HttpResponseMessage> For(ProviderChannel channel) => _pipelines.GetOrAdd(KeyOf(channel.Role), key =>
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
                    var model = ProviderCall.From(context)?.Model ?? channel.Model;
                    Log.Retrying(logger, channel.Role, channel.Protocol, model, attempt + 1, reason, delay.TotalMilliseconds);
                    metrics.RecordRetry(channel.Role, channel.Protocol, model, reason);
                    AgentApiActivity.RecordRetry(attempt + 1, reason, delay);
                    return Task.CompletedTask;
                });
        var timeout = Policy.TimeoutAsync<HttpResponseMessage>(channel.AttemptTimeout, TimeoutStrategy.Optimistic);
        return Policy.WrapAsync(retry, BreakerFor(channel, key).Policy, timeout);
    });

    public CoreCircuitState StateOf(string role) =>
        _breakers.TryGetValue(role, out var breaker)
            ? breaker.Policy.CircuitState switch
            {
                CircuitState.Open or CircuitState.Isolated => CoreCircuitState.Open,
                CircuitState.HalfOpen => CoreCircuitState.HalfOpen,
                _ => CoreCircuitState.Closed,
            }
            : CoreCircuitState.Closed;

    /// <summary>How long an open circuit stays open; null when closed.</summary>
    public TimeSpan? OpenFor(string role)
    {
        if (!_breakers.TryGetValue(role, out var breaker) || StateOf(role) != CoreCircuitState.Open)
        {
            return null;
        }

        var remaining = breaker.OpenUntil - timeProvider.GetUtcNow();
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.FromSeconds(1);
    }

    private static string KeyOf(string role) => WarmUpScope.IsActive ? role + WarmUpSuffix : role;

    private Breaker BreakerFor(ProviderChannel channel, string key) => _breakers.GetOrAdd(key, _ =>
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
                    Log.CircuitOpened(logger, channel.Role, channel.Protocol, duration.TotalSeconds, outcome.Exception?.GetType().Name ?? $"HTTP {(int)outcome.Result.StatusCode}");
                },
                onReset: () => Log.CircuitClosed(logger, channel.Role, channel.Protocol),
                onHalfOpen: () => Log.CircuitHalfOpen(logger, channel.Role, channel.Protocol));
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

    private sealed class Breaker
    {
        public AsyncCircuitBreakerPolicy<HttpResponseMessage> Policy { get; set; } = null!;

        public DateTimeOffset OpenUntil { get; set; }
    }
}
