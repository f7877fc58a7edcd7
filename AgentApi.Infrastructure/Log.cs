using AgentApi.Core.Providers;
using Microsoft.Extensions.Logging;

namespace AgentApi.Infrastructure;

/// <summary>Source-generated log methods of the provider clients and cache. Event ids 2000–2099.</summary>
internal static partial class Log
{
    [LoggerMessage(2000, LogLevel.Debug, "Provider attempt {Attempt}: {Role} {Provider} {Model} at {Url} answered {StatusCode} in {DurationMs:0.0} ms")]
    public static partial void ProviderAttempt(ILogger logger, string role, string provider, string model, string? url, int attempt, int statusCode, double durationMs);

    [LoggerMessage(2001, LogLevel.Warning, "Provider attempt {Attempt}: {Role} {Provider} {Model} at {Url} failed with {Error} after {DurationMs:0.0} ms")]
    public static partial void ProviderAttemptFailed(ILogger logger, string role, string provider, string model, string? url, int attempt, string error, double durationMs);

    [LoggerMessage(2002, LogLevel.Warning, "Retrying {Role} {Provider} {Model}: attempt {Attempt} after {Reason}, waiting {DelayMs:0} ms")]
    public static partial void Retrying(ILogger logger, string role, string provider, string model, int attempt, string reason, double delayMs);

    [LoggerMessage(2003, LogLevel.Debug, "Provider call {Role} {Provider} {Model}: ok in {Attempts} attempt(s), {DurationMs:0.0} ms, tokens in {InputTokens} out {OutputTokens}, finish {FinishReason}")]
    public static partial void ProviderCallSucceeded(ILogger logger, string role, string provider, string model, int attempts, double durationMs, int inputTokens, int outputTokens, FinishReason finishReason);

    [LoggerMessage(2004, LogLevel.Warning, "Provider call {Role} {Provider} {Model} at {Url}: {Failure} after {Attempts} attempt(s), {DurationMs:0.0} ms, provider status {ProviderStatus}: {ProviderDetail}")]
    public static partial void ProviderCallFailed(ILogger logger, string role, string provider, string model, string? url, int attempts, double durationMs, ProviderFailure failure, string providerStatus, string providerDetail);

    [LoggerMessage(2005, LogLevel.Warning, "Provider stream {Role} {Provider} {Model} ended without a usage chunk: its tokens and cost are estimated from its text (does the server honour stream_options.include_usage?)")]
    public static partial void StreamWithoutUsage(ILogger logger, string role, string provider, string model);

    [LoggerMessage(2010, LogLevel.Error, "Circuit opened for {Role} {Provider} {Model} for {BreakSeconds} s after {Reason}")]
    public static partial void CircuitOpened(ILogger logger, string role, string provider, string model, double breakSeconds, string reason);

    [LoggerMessage(2011, LogLevel.Information, "Circuit closed for {Role} {Provider} {Model}")]
    public static partial void CircuitClosed(ILogger logger, string role, string provider, string model);

    [LoggerMessage(2012, LogLevel.Information, "Circuit half-open for {Role} {Provider} {Model}: next call is a trial")]
    public static partial void CircuitHalfOpen(ILogger logger, string role, string provider, string model);

    [LoggerMessage(2020, LogLevel.Information, "Answer cache: memory (at most {MaxEntries} entries, TTL {TtlSeconds} s) and Redis at {Endpoints} (TLS {Tls})")]
    public static partial void RedisTierConfigured(ILogger logger, int maxEntries, double ttlSeconds, string endpoints, bool tls);

    [LoggerMessage(2021, LogLevel.Warning, "Redis cache tier failing: {Failures} failed operation(s) since the last warning; answering from memory and the providers. Next warning in {IntervalSeconds} s at the earliest")]
    public static partial void DistributedCacheFailing(ILogger logger, long failures, double intervalSeconds, Exception exception);

    [LoggerMessage(2022, LogLevel.Information, "Redis cache tier answering again ({Failures} more failed operation(s) since the last warning)")]
    public static partial void DistributedCacheRecovered(ILogger logger, long failures);
}
