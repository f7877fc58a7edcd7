using AgentApi.Web.Diagnostics;
using AgentApi.Web.Pipeline;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AgentApi.Web.OpenAICompatible;

/// <summary>
/// OpenAI's Chat Completions API over the ask pipeline, so OpenAI SDKs and chat UIs work unchanged. Left out of the
/// OpenAPI document: OpenAI publishes this API's contract, the SDKs are its clients, and the generated clients are for <c>/api</c>.
/// </summary>
[Route("v1")]
[ApiExplorerSettings(IgnoreApi = true)]
[Authorize]
public sealed class ChatCompletionsController(IOptions<OpenAICompatibleOptions> options, TimeProvider timeProvider, ILogger<ChatCompletionsController> logger) : ControllerBase
{
    /// <summary>When the ids were first served; OpenAI's <c>created</c> of a model, fixed so a listing never changes.</summary>
    private static readonly long ModelsCreated = new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    [HttpGet("models")]
    public IResult ListModels() =>
        TypedResults.Json(new ModelList("list", [.. options.Value.Ids.Select(Describe)]), JsonWire.OpenAI.ModelList);

    [HttpGet("models/{model}")]
    public IResult GetModel(string model) => options.Value.TryResolve(model, out _)
        ? TypedResults.Json(Describe(model), JsonWire.OpenAI.ModelEntry)
        : OpenAIErrors.Result(OpenAIError.ModelNotFound(LogText.Cut(model)));

    /// <summary>A request the reader refuses is an <see cref="InvalidOpenAIRequestException"/>, answered by the exception handler in OpenAI's shape.</summary>
    [HttpPost("chat/completions")]
    [RequestSizeLimit(RequestRules.MaxBodyBytes)]
    public async Task CreateAsync()
    {
        var call = await ChatCompletionRequestReader.ReadAsync(Request, HttpContext.RequestAborted);
        var orchestrate = options.Value.TryResolve(call.Model, out var resolved) ? resolved : throw new InvalidOpenAIRequestException(OpenAIError.ModelNotFound(LogText.Cut(call.Model)));
        LogRequest(call);
        var door = new ChatCompletionDoor(call, ChatCompletionDoor.NewId(), timeProvider.GetUtcNow().ToUnixTimeSeconds());
        await HttpContext.RunAskAsync(call.ToAskQuery(orchestrate), door);
    }

    /// <summary>The request at Debug: its shape, and the tools' results (user data, cut).</summary>
    private void LogRequest(ChatCompletionCall call)
    {
        if (!logger.IsEnabled(LogLevel.Debug))
        {
            return;
        }

        Log.ChatCompletion(logger, LogText.Cut(call.Model), call.History.Count, call.ToolTurns.Count, call.Tools?.Tools.Count ?? 0,
            call.ResponseFormat?.Kind.ToString() ?? "text", call.Instructions is not null, call.Stream, LogText.Cut(call.User));
        foreach (var result in call.ToolTurns.Where(turn => turn.Role == Core.Providers.ChatRole.Tool))
        {
            Log.ToolResult(logger, LogText.Cut(result.ToolCallId), LogText.Cut(result.Text));
        }
    }

    private static ModelEntry Describe(string model) => new(model, ModelsCreated, "agentapi");
}
