using System.Text.Json;
using AgentApi.Core.Ask;
using AgentApi.Core.Callers;
using AgentApi.Core.Providers;
using AgentApi.Web.Ask;
using AgentApi.Web.Callers;
using AgentApi.Web.Diagnostics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AgentApi.Web.OpenAICompatible;

/// <summary>
/// OpenAI's Chat Completions API over the ask pipeline, so OpenAI SDKs and chat UIs work unchanged. Left out of the
/// OpenAPI document: OpenAI publishes this API's contract, the SDKs are its clients, and the generated clients are for <c>/api</c>.
/// </summary>
[Route("v1")]
[ApiExplorerSettings(IgnoreApi = true)]
[Authorize]
public sealed class ChatCompletionsController(
    IAskService askService,
    ICallerLimiter limiter,
    IOptions<OpenAICompatibleOptions> options,
    IOptions<AskOptions> askOptions,
    IOptions<AskStreamOptions> streamOptions,
    TimeProvider timeProvider,
    ILogger<ChatCompletionsController> logger) : ControllerBase
{
    /// <summary>The same bound as <c>/api/ask</c>.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>When the ids were first served; OpenAI's <c>created</c> of a model, fixed so a listing never changes.</summary>
    private static readonly long ModelsCreated = new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    [HttpGet("models")]
    public IResult ListModels() =>
        TypedResults.Json(new ModelList("list", [.. options.Value.Ids.Select(Describe)]), OpenAICompatibleJsonContext.Default.ModelList);

    [HttpGet("models/{model}")]
    public IResult GetModel(string model) => options.Value.TryResolve(model, out _)
        ? TypedResults.Json(Describe(model), OpenAICompatibleJsonContext.Default.ModelEntry)
        : Refuse(OpenAIError.ModelNotFound(model));

    [HttpPost("chat/completions")]
    [RequestSizeLimit(MaxBodyBytes)]
    public async Task<IResult> CreateAsync(CancellationToken cancellationToken)
    {
        if (!Request.HasJsonContentType())
        {
            return Refuse(OpenAIErrors.UnsupportedMediaType);
        }

        ChatCompletionCall call;
        try
        {
            using var document = await JsonDocument.ParseAsync(Request.Body, cancellationToken: cancellationToken);
            call = ChatCompletionRequestReader.Read(document.RootElement);
        }
        catch (JsonException)
        {
            return Refuse(OpenAIErrors.InvalidJson);
        }
        catch (InvalidChatRequestException ex)
        {
            return Refuse(ex.Error);
        }

        if (!options.Value.TryResolve(call.Model, out var orchestrate))
        {
            return Refuse(OpenAIError.ModelNotFound(call.Model));
        }

        // Caller limits as for /api/ask: a 429 here is written through the problem writer, in OpenAI's shape.
        await using var admission = await CallerAdmission.AdmitAsync(HttpContext, limiter, call.EstimateTokens(askOptions.Value.ExecutorMaxOutputTokens));
        if (admission is null)
        {
            return Results.Empty;
        }

        Log.ChatCompletion(logger, call.Model, call.History.Count, call.Instructions is not null, call.Stream, call.User);
        var query = call.ToAskQuery(
            orchestrate,
            useCache: Request.GetTypedHeaders().CacheControl is not ({ NoCache: true } or { NoStore: true }),
            cacheScope: HttpContext.Features.Get<CallerFeature>()?.CacheScope);
        var id = NewId();
        var created = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        long tokens = 0;
        try
        {
            if (call.Stream)
            {
                var stream = new ChatCompletionStream(HttpContext, call, id, created, timeProvider, logger);
                await stream.RunAsync(askService.StreamAsync(query, cancellationToken), streamOptions.Value.HeartbeatInterval, cancellationToken);
                tokens = HttpContext.Features.Get<RequestTelemetry>()?.Ask is { Cached: false } streamed ? streamed.Answer.Usage.Total : 0;
                return Results.Empty;
            }

            var result = await askService.AskAsync(query, cancellationToken);
            tokens = result.Cached ? 0 : result.Answer.Usage.Total;
            HttpContext.Features.Get<RequestTelemetry>()?.Ask = result;
            AskHeaders.Write(Response.Headers, result);
            return Completion(id, created, call.Model, result.Answer.Answer, result.Answer.Truncated ? "length" : "stop", result.Answer.Usage);
        }
        catch (ProviderException ex) when (ex.Failure == ProviderFailure.ContentFiltered)
        {
            // OpenAI reports a withheld answer as a completion, not an error.
            Log.ContentFiltered(logger);
            return Completion(id, created, call.Model, content: string.Empty, "content_filter", TokenUsage.None);
        }
        finally
        {
            // The providers' reported usage replaces the reservation; a failed or cached ask charges nothing.
            await admission.SettleAsync(tokens);
        }
    }

    internal static string NewId() => "chatcmpl-" + Guid.CreateVersion7().ToString("N");

    private static JsonHttpResult<ChatCompletionResponse> Completion(string id, long created, string model, string content, string finishReason, TokenUsage usage) =>
        TypedResults.Json(
            new ChatCompletionResponse(id, created, model, [new ChatCompletionChoice(0, new ChatCompletionMessage(content), finishReason)], ChatCompletionUsage.From(usage)),
            OpenAICompatibleJsonContext.Default.ChatCompletionResponse);

    private static ModelEntry Describe(string model) => new(model, ModelsCreated, "agentapi");

    private IResult Refuse(OpenAIError error)
    {
        Log.ChatCompletionRefused(logger, error.Status, error.Code, error.Param);
        return OpenAIErrors.Result(error);
    }
}
