using System.Diagnostics;
using AgentApi.Core.Ask;
using AgentApi.Core.Caching;
using AgentApi.Core.Callers;
using AgentApi.Core.Providers;
using AgentApi.Web.Ask;
using AgentApi.Web.Callers;
using AgentApi.Web.Diagnostics;
using AgentApi.Web.Errors;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AgentApi.Web.Pipeline;

/// <summary>
/// The one ask pipeline behind every door (docs/architecture.md): admits the caller under its limits, runs the ask,
/// writes the answer through the door (buffered, or streamed with the rules below), answers a failure before the
/// answer started in the door's error shape, charges the caller what the providers spent whether the caller stayed or
/// left, and writes the ask's one summary line. A stream sends nothing before the executor's first text (or a whole
/// cached replay), so a failure until then is an ordinary error with its status; a failure after it is the stream's
/// last event. It returns how the ask ended; nothing is left in the request for anyone to read back.
/// </summary>
internal sealed class AskPipeline(
    IAskService askService,
    ICallerLimiter limiter,
    ProblemDetailsExceptionHandler problems,
    IOptions<AskOptions> askOptions,
    IOptions<AskStreamOptions> streamOptions,
    TimeProvider timeProvider,
    ILogger<AskPipeline> logger)
{
    /// <summary>How long settling waits for the provider calls of an ask whose caller left to end.</summary>
    private static readonly TimeSpan AbandonGrace = TimeSpan.FromSeconds(1);

    public async Task<AskOutcome> RunAsync(HttpContext context, AskQuery query, IAskDoor door)
    {
        var cancellationToken = context.RequestAborted;
        var access = context.Features.Get<CallerFeature>();
        var caller = access?.Caller ?? Caller.Anonymous(context.Connection.RemoteIpAddress?.ToString());
        query = WithCacheRules(query, context.Request) with { CacheScope = access?.CacheScope, Meter = new AskMeter(caller.Origin) };

        AskOutcome outcome;
        await using (var admission = await limiter.AdmitAsync(caller, TokenEstimate.For(query, askOptions.Value), cancellationToken))
        {
            if (admission.Refusal is { } refusal)
            {
                await CallerProblems.WriteTooManyRequestsAsync(context, refusal);
                outcome = new AskOutcome(StatusCodes.Status429TooManyRequests, Result: null, AskSpend.None, "refused");
            }
            else
            {
                if (admission.Window is { } window)
                {
                    RateLimitHeaders.Write(context.Response.Headers, window);
                }

                try
                {
                    outcome = await AnswerAsync(context, query, door, cancellationToken);
                }
                finally
                {
                    // What the providers spent, reported or estimated, replaces the reservation. Calls a leaving caller
                    // cut end within moments and are waited for; one that reports later (another caller kept the ask
                    // alive) is charged when it does.
                    await WhenIdleAsync(query.Meter);
                    await admission.SettleAsync(query.Meter.Close(admission.ChargeLate).Total);
                }

                outcome = outcome with { Spent = query.Meter.Spent };
            }
        }

        Summarize(context, door, caller, outcome);
        RequestTrace.RecordAsk(context, caller, outcome);
        if (outcome.Result?.Answer is { ToolCalls.Count: > 0 } called && logger.IsEnabled(LogLevel.Debug))
        {
            foreach (var call in called.ToolCalls)
            {
                Log.ToolCalled(logger, LogText.Cut(call.Name), LogText.Cut(call.Id), LogText.Cut(call.Arguments));
            }
        }

        return outcome;
    }

    private async Task WhenIdleAsync(AskMeter meter)
    {
        try
        {
            await meter.WhenIdleAsync().WaitAsync(AbandonGrace, timeProvider, CancellationToken.None);
        }
        catch (TimeoutException)
        {
            // A production another caller kept alive: its calls are charged to this caller as they end.
        }
    }

    /// <summary>
    /// <c>Cache-Control: no-cache</c> skips the cache read (the fresh answer still refreshes it); <c>no-store</c>
    /// neither reads nor stores, as if there were no cache.
    /// </summary>
    private static AskQuery WithCacheRules(AskQuery query, HttpRequest request) =>
        request.Headers.ContainsKey(HeaderNames.CacheControl) && request.GetTypedHeaders().CacheControl is { } control
            ? query with { UseCache = query.UseCache && !control.NoCache && !control.NoStore, Store = query.Store && !control.NoStore }
            : query;

    /// <summary>Runs the ask and writes its answer; a failure before anything was written is answered in the door's error shape.</summary>
    private async Task<AskOutcome> AnswerAsync(HttpContext context, AskQuery query, IAskDoor door, CancellationToken cancellationToken)
    {
        try
        {
            if (door.Streams)
            {
                return await StreamAsync(context, query, door, cancellationToken);
            }

            var result = await askService.AskAsync(query, cancellationToken);
            context.Response.Headers[ServerTiming.HeaderName] = ServerTiming.Format(result, Elapsed(context));
            await door.WriteAnswerAsync(context, result, cancellationToken);
            return new AskOutcome(StatusCodes.Status200OK, result, AskSpend.None, "answered");
        }
        catch (ProviderException ex) when (ex.Failure == ProviderFailure.ContentFiltered && door.AnswersContentFilter && !context.Response.HasStarted)
        {
            await door.WriteContentFilteredAsync(context, cancellationToken);
            return new AskOutcome(StatusCodes.Status200OK, Result: null, AskSpend.None, "content filtered");
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested && !context.Response.HasStarted)
        {
            // The caller left before any answer: nobody to tell; what was spent is still charged.
            return new AskOutcome(StatusCodes.Status499ClientClosedRequest, Result: null, AskSpend.None, "caller left");
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            var status = await problems.WriteAsync(context, ex);
            if (status >= StatusCodes.Status500InternalServerError)
            {
                RequestTrace.RecordFailure(context, ex);
            }

            return new AskOutcome(status, Result: null, AskSpend.None, "failed");
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // The caller left while a buffered answer was being written: the answer was produced and is charged.
            return new AskOutcome(StatusCodes.Status200OK, Result: null, AskSpend.None, "caller left");
        }
    }

    private async Task<AskOutcome> StreamAsync(HttpContext context, AskQuery query, IAskDoor door, CancellationToken cancellationToken)
    {
        await using var events = askService.StreamAsync(query, cancellationToken).GetAsyncEnumerator(cancellationToken);

        // Hold the status line until the executor's first piece (text, a tool call or a refusal), or a cached replay whole
        // (its headers tell a hit from a coalesced ask): until then a failure is thrown to the caller of this method, with
        // retries spent.
        var held = new List<AskStreamEvent>();
        var filtered = false;
        try
        {
            while (held.LastOrDefault() is not (AskStreamDelta or AskStreamToolCallDelta or AskStreamRefusalDelta or AskStreamDone) && await events.MoveNextAsync())
            {
                held.Add(events.Current);
            }

            while (held.FirstOrDefault() is AskStreamPlan { Cached: true } && held[^1] is not AskStreamDone && await events.MoveNextAsync())
            {
                held.Add(events.Current);
            }
        }
        catch (ProviderException ex) when (ex.Failure == ProviderFailure.ContentFiltered && door.AnswersContentFilter)
        {
            filtered = true;
        }

        door.WriteStreamHeaders(context.Response.Headers, held);
        context.Response.Headers[ServerTiming.HeaderName] = ServerTiming.FormatStreamStart(
            held.OfType<AskStreamPlan>().FirstOrDefault(), held.OfType<AskStreamDone>().FirstOrDefault()?.Result.Source, Elapsed(context));
        await using var stream = new ServerSentEventStream(context.Response, door.StreamJson, timeProvider);
        AskResult? result = null;
        try
        {
            await stream.StartAsync(streamOptions.Value.HeartbeatInterval, cancellationToken);
            await door.OpenStreamAsync(stream, cancellationToken);
            if (filtered)
            {
                await door.WriteContentFilteredAsync(stream, cancellationToken);
                return new AskOutcome(StatusCodes.Status200OK, Result: null, AskSpend.None, "content filtered");
            }

            foreach (var update in held)
            {
                result = (update as AskStreamDone)?.Result ?? result;
                await door.WriteEventAsync(stream, update, cancellationToken);
            }

            while (await events.MoveNextAsync())
            {
                result = (events.Current as AskStreamDone)?.Result ?? result;
                await door.WriteEventAsync(stream, events.Current, cancellationToken);
            }

            return new AskOutcome(StatusCodes.Status200OK, result, AskSpend.None, "answered");
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // The caller left mid-stream; the provider call was cancelled with the request, and what it spent is charged.
            return new AskOutcome(context.Response.HasStarted ? StatusCodes.Status200OK : StatusCodes.Status499ClientClosedRequest, result, AskSpend.None, "caller left");
        }
        catch (ProviderException ex) when (ex.Failure == ProviderFailure.ContentFiltered && door.AnswersContentFilter)
        {
            await door.WriteContentFilteredAsync(stream, cancellationToken);
            return new AskOutcome(StatusCodes.Status200OK, result, AskSpend.None, "content filtered");
        }
        catch (Exception ex)
        {
            if (ex is ProviderException provider)
            {
                Log.StreamFailed(logger, provider.Role, provider.Provider, provider.Failure, ProblemDetailsExceptionHandler.DescribeCause(provider));
            }
            else
            {
                Log.UnhandledException(logger, ex);
            }

            RequestTrace.RecordFailure(context, ex);
            try
            {
                await door.WriteStreamErrorAsync(context, stream, ex, cancellationToken);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested || ex is IOException)
            {
                // The caller is gone; there is no one to tell.
            }

            return new AskOutcome(StatusCodes.Status200OK, result, AskSpend.None, "failed after start");
        }
    }

    private void Summarize(HttpContext context, IAskDoor door, Caller caller, AskOutcome outcome)
    {
        context.Features.Get<RequestTelemetry>()?.MarkLogged();

        // The warm-up's 500 asks are labelled and kept, at Debug, out of the start-up block.
        var level = caller.Kind == CallerKind.WarmUp ? LogLevel.Debug : LogLevel.Information;
        if (!logger.IsEnabled(level))
        {
            return;
        }

        // Durations and attempts of the calls this request made; a cached or joined answer's steps were another request's.
        var answer = outcome.Result?.Answer;
        var (orchestrator, executor) = outcome.Result is { Cached: false } ? (answer!.Orchestrator, answer.Executor) : (null, null);
        var spent = outcome.Spent;
        var method = LogText.Cut(context.Request.Method);
        var path = LogText.Cut(context.Request.Path.ToString());
        var durationMs = Elapsed(context).TotalMilliseconds;
        Log.AskCompleted(
            logger,
            level,
            method,
            path,
            outcome.Status,
            durationMs,
            door.Name,
            caller.Name,
            outcome.Ending,
            answer?.Route ?? "none",
            outcome.Result is { } result ? CacheSources.Name(result.Source) : "none",
            answer?.Fallback ?? false,
            answer is null ? "none" : FinishReasons.Name(answer.FinishReason),
            answer is { ToolCalls.Count: > 0 } ? LogText.Cut(string.Join(' ', answer.ToolCalls.Select(call => call.Name))) : "none",
            answer?.Orchestrator.Model ?? "none",
            spent.Orchestrator.Input,
            spent.Orchestrator.Output,
            orchestrator?.DurationMs ?? 0,
            orchestrator?.Attempts ?? 0,
            answer?.Executor.Provider ?? "none",
            answer?.Executor.Model ?? "none",
            spent.Executor.Input,
            spent.Executor.Output,
            executor?.DurationMs ?? 0,
            executor?.Attempts ?? 0,
            executor is { FallbackFrom.Count: > 0 } ? string.Join(", ", executor.FallbackFrom.Select(passed => $"{passed.Provider}/{passed.Model} ({passed.Reason})")) : "none",
            spent.Total,
            spent.Total == 0 ? "(nothing spent)" : spent.Estimated ? "(partly estimated: a call was cut before its usage)" : "(as the providers reported)");
    }

    private static TimeSpan Elapsed(HttpContext context) =>
        context.Features.Get<RequestTelemetry>() is { } telemetry ? Stopwatch.GetElapsedTime(telemetry.Started) : TimeSpan.Zero;
}
