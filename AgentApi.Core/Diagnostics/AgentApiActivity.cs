using System.Diagnostics;
using AgentApi.Core.Providers;

namespace AgentApi.Core.Diagnostics;

/// <summary>
/// AgentApi's own spans (docs/tracing.md), on the <c>AgentApi</c> activity source: one per step of an ask
/// (<see cref="StartStep"/>) and one per provider call (<see cref="StartModelCall"/>), named and tagged after the
/// OpenTelemetry GenAI semantic conventions, plus AgentApi's attributes (route, fallback reason). Without a tracer
/// provider listening (no OTLP endpoint configured) every method returns at its first check and allocates nothing.
/// </summary>
public static class AgentApiActivity
{
    public const string SourceName = "AgentApi";

    /// <summary>The step spans' names.</summary>
    public const string Orchestrate = "orchestrate";
    public const string Execute = "execute";

    // The GenAI semantic conventions' attributes.
    public const string OperationName = "gen_ai.operation.name";
    public const string ProviderName = "gen_ai.provider.name";
    public const string RequestModel = "gen_ai.request.model";
    public const string RequestMaxTokens = "gen_ai.request.max_tokens";
    public const string RequestTemperature = "gen_ai.request.temperature";
    public const string RequestStream = "gen_ai.request.stream";
    public const string ResponseModel = "gen_ai.response.model";
    public const string ResponseFinishReasons = "gen_ai.response.finish_reasons";
    public const string InputTokens = "gen_ai.usage.input_tokens";
    public const string OutputTokens = "gen_ai.usage.output_tokens";
    public const string InputMessages = "gen_ai.input.messages";
    public const string OutputMessages = "gen_ai.output.messages";
    public const string SystemInstructions = "gen_ai.system_instructions";
    public const string ErrorType = "error.type";
    public const string ServerAddress = "server.address";
    public const string ServerPort = "server.port";

    // AgentApi's attributes.
    public const string Role = "agentapi.role";
    public const string Route = "agentapi.route";
    public const string FallbackReason = "agentapi.fallback_reason";
    public const string Attempts = "agentapi.attempts";
    public const string RetryEvent = "agentapi.retry";
    public const string FallbackEvent = "agentapi.fallback";
    public const string FallbackFrom = "agentapi.fallback.from";
    public const string FallbackTo = "agentapi.fallback.to";
    public const string Provider = "agentapi.provider";
    public const string Attempt = "agentapi.attempt";
    public const string Reason = "agentapi.reason";
    public const string DelayMs = "agentapi.delay_ms";

    private static readonly ActivitySource Source = new(SourceName, typeof(AgentApiActivity).Assembly.GetName().Version?.ToString());

    /// <summary>True while a tracer provider listens to AgentApi's spans.</summary>
    public static bool IsEnabled => Source.HasListeners();

    /// <summary>A step of an ask (<see cref="Orchestrate"/>, <see cref="Execute"/>), child of the current span; null when not traced.</summary>
    public static Activity? StartStep(string step, string? route = null)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(step, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true } && route is not null)
        {
            activity.SetTag(Route, route);
        }

        return activity;
    }

    /// <summary>The route a step chose or ran on, and why the ask fell back when it did.</summary>
    public static void RecordRoute(Activity? step, string route, string? fallbackReason)
    {
        if (step is not { IsAllDataRequested: true })
        {
            return;
        }

        step.SetTag(Route, route);
        if (fallbackReason is not null)
        {
            step.SetTag(FallbackReason, fallbackReason);
        }
    }

    /// <summary>
    /// Marks a fallback on the current span (the step that falls back): its reason as <c>agentapi.fallback_reason</c>, and an
    /// <c>agentapi.fallback</c> event at the moment it happened, between the failed call's span and the next one's.
    /// </summary>
    /// <param name="reason">Why: the failed call's outcome (<c>timeout</c>, <c>upstream_error</c>, …).</param>
    /// <param name="from">The model that failed (<c>provider/model</c>).</param>
    /// <param name="to">The model asked next.</param>
    public static void RecordFallback(string reason, string? from = null, string? to = null)
    {
        if (!Source.HasListeners() || Activity.Current is not { IsAllDataRequested: true } current)
        {
            return;
        }

        current.SetTag(FallbackReason, reason);
        var tags = new ActivityTagsCollection { [Reason] = reason };
        if (from is not null)
        {
            tags[FallbackFrom] = from;
        }

        if (to is not null)
        {
            tags[FallbackTo] = to;
        }

        current.AddEvent(new ActivityEvent(FallbackEvent, tags: tags));
    }

    /// <summary>
    /// One provider call (retries included; the HTTP instrumentation adds a child span per attempt): a client span named
    /// <c>{operation} {model}</c> with the attributes samplers may read set at its start. Prompts are recorded only when
    /// <paramref name="captureContent"/> is set. Null when not traced.
    /// </summary>
    /// <param name="operation"><c>chat</c>, or <c>generate_content</c> for Gemini's API.</param>
    /// <param name="provider">The conventions' provider name (<c>openai</c>, <c>gcp.gemini</c>, <c>anthropic</c>).</param>
    /// <param name="role">Orchestrator or executor.</param>
    /// <param name="model">The model the request is sent to.</param>
    /// <param name="server">The provider's base URL: its host and port.</param>
    /// <param name="request">The request, for its limits and, when <paramref name="captureContent"/>, its messages.</param>
    /// <param name="streaming">True for a streamed call.</param>
    /// <param name="captureContent">True when the operator opted in to recording prompts and answers.</param>
    /// <param name="configured">The provider's name in AgentApi's settings (<c>openai</c>, or one of the routes file's table).</param>
    public static Activity? StartModelCall(string operation, string provider, string role, string model, Uri server, ChatRequest request, bool streaming, bool captureContent, string? configured = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(request);
        if (!Source.HasListeners())
        {
            return null;
        }

        var tags = new ActivityTagsCollection
        {
            [OperationName] = operation,
            [ProviderName] = provider,
            [RequestModel] = model,
            [ServerAddress] = server.Host,
            [ServerPort] = server.Port,
        };
        var activity = Source.StartActivity(string.Concat(operation, " ", model), ActivityKind.Client, parentContext: default, tags);
        if (activity is not { IsAllDataRequested: true })
        {
            return activity;
        }

        activity.SetTag(Role, role);
        if (configured is not null)
        {
            activity.SetTag(Provider, configured);
        }

        if (request.MaxOutputTokens is { } maxTokens)
        {
            activity.SetTag(RequestMaxTokens, maxTokens);
        }

        if (request.Temperature is { } temperature)
        {
            activity.SetTag(RequestTemperature, temperature);
        }

        if (streaming)
        {
            activity.SetTag(RequestStream, true);
        }

        if (captureContent)
        {
            if (!string.IsNullOrEmpty(request.SystemInstruction))
            {
                activity.SetTag(SystemInstructions, GenAiMessages.SystemInstructions(request.SystemInstruction));
            }

            activity.SetTag(InputMessages, GenAiMessages.Input(request));
        }

        return activity;
    }

    /// <summary>A provider call's answer: the model that wrote it, its tokens and finish reason, the attempts it took, and the answer itself when <paramref name="captureContent"/>.</summary>
    public static void RecordCompletion(Activity? call, ChatCompletion completion, bool captureContent)
    {
        ArgumentNullException.ThrowIfNull(completion);
        if (call is not { IsAllDataRequested: true })
        {
            return;
        }

        var finishReason = FinishReasons.Name(completion.FinishReason);
        call.SetTag(ResponseModel, completion.Model);
        call.SetTag(InputTokens, completion.Usage.Input);
        call.SetTag(OutputTokens, completion.Usage.Output);
        call.SetTag(ResponseFinishReasons, new[] { finishReason });
        call.SetTag(Attempts, completion.Attempts);
        if (captureContent)
        {
            call.SetTag(OutputMessages, GenAiMessages.Output(completion, finishReason));
        }
    }

    /// <summary>
    /// How a span's work failed: <c>error.type</c> is a provider failure's outcome (<c>timeout</c>, <c>upstream_error</c>, …,
    /// the provider-call metric's names), <c>cancelled</c> when the caller left, else the exception's type; the status is
    /// Error with the exception's message when it is one a caller may read (<see cref="ProviderException"/>).
    /// </summary>
    public static void RecordFailure(Activity? activity, Exception exception, int? attempts = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (activity is not { IsAllDataRequested: true })
        {
            return;
        }

        var (type, description) = exception switch
        {
            ProviderException provider => (provider.Info.Outcome, provider.Message),
            OperationCanceledException => (ProviderOutcome.Cancelled, "The caller went away."),
            _ => (exception.GetType().FullName ?? "_OTHER", exception.GetType().Name),
        };
        activity.SetTag(ErrorType, type);
        activity.SetStatus(ActivityStatusCode.Error, description);
        if (attempts is { } made)
        {
            activity.SetTag(Attempts, made);
        }
    }

    /// <summary>A retry of the current provider call: an <c>agentapi.retry</c> event with the attempt about to be made, why, and the wait before it.</summary>
    public static void RecordRetry(int nextAttempt, string reason, TimeSpan delay)
    {
        if (!Source.HasListeners() || Activity.Current is not { IsAllDataRequested: true } current || current.Source != Source)
        {
            return;
        }

        current.AddEvent(new ActivityEvent(RetryEvent, tags: new ActivityTagsCollection
        {
            [Attempt] = nextAttempt,
            [Reason] = reason,
            [DelayMs] = Math.Round(delay.TotalMilliseconds, 1),
        }));
    }
}
