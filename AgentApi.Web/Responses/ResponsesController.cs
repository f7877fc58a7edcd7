using System.Globalization;
using System.Text.Json;
using AgentApi.Core.Providers;
using AgentApi.Core.Responses;
using AgentApi.Web.Diagnostics;
using AgentApi.Web.OpenAICompatible;
using AgentApi.Web.Pipeline;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AgentApi.Web.Responses;

/// <summary>
/// OpenAI's Responses API over the ask pipeline (docs/responses.md): create a response, streamed or not, continuing a
/// stored one with <c>previous_response_id</c>; retrieve, delete and list the input items of the caller's stored
/// responses. Left out of the OpenAPI document, as the rest of <c>/v1</c>: OpenAI publishes its contract.
/// </summary>
[Route("v1/responses")]
[ApiExplorerSettings(IgnoreApi = true)]
[Authorize]
public sealed class ResponsesController(
    IOptions<OpenAICompatibleOptions> options,
    IResponseStore store,
    TimeProvider timeProvider,
    ILogger<ResponsesController> logger) : ControllerBase
{
    private const int DefaultPageSize = 20;
    private const int MaxPageSize = 100;

    /// <summary>
    /// A request the reader refuses, or whose conversation cannot be rebuilt, is an <see cref="InvalidOpenAIRequestException"/>,
    /// answered by the exception handler in OpenAI's shape before any provider is called.
    /// </summary>
    [HttpPost("")]
    [RequestSizeLimit(RequestRules.MaxBodyBytes)]
    public async Task CreateAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        var request = await ResponseRequestReader.ReadAsync(Request, cancellationToken);
        var orchestrate = options.Value.TryResolve(request.Model, out var resolved) ? resolved : throw new InvalidOpenAIRequestException(OpenAIError.ModelNotFound(LogText.Cut(request.Model)));
        var owner = ResponseOwner.Of(HttpContext);
        var earlier = request.PreviousResponseId is { } previous ? await ResponseChain.LoadAsync(store, owner, previous, cancellationToken) : [];
        var input = await ResponseReferences.ResolveAsync(request.Input, store, owner, cancellationToken);
        var conversation = ResponseConversation.Build([.. earlier, .. input], request.Instructions);
        if (request.Format is { Kind: ResponseFormatKind.JsonObject } && !conversation.Mentions("json"))
        {
            // OpenAI's rule for JSON mode, checked here so the caller is told, not given a provider's 400 as a 502.
            throw new InvalidOpenAIRequestException(OpenAIError.BadRequest(
                "'input' must contain the word 'json' in some form, to use 'text.format' of type 'json_object'.", "input", "invalid_value"));
        }

        var identity = ResponseIdentity.New();
        IReadOnlyList<ResponseItem> numbered = [.. input.Select((item, number) => identity.Numbered(item.Item!, number))];
        LogRequest(request, identity, earlier.Count, conversation);
        var door = new ResponseDoor(request, identity, numbered, store, owner, timeProvider);
        await HttpContext.RunAskAsync(request.ToAskQuery(conversation, orchestrate), door);
    }

    /// <summary>A stored response of the caller's, as it was answered; another caller's is not found, as an unknown one.</summary>
    [HttpGet("{id}")]
    public async Task<IResult> GetAsync(string id)
    {
        if (Request.Query.TryGetValue("stream", out var stream) && bool.TryParse(stream, out var streamed) && streamed)
        {
            return OpenAIErrors.Result(OpenAIError.BadRequest("'stream' is not supported: a stored response is served whole, never streamed again.", "stream", "unsupported_parameter"));
        }

        return await store.FindAsync(ResponseOwner.Of(HttpContext), id, HttpContext.RequestAborted) is { } found
            ? TypedResults.Content(found.Response, "application/json; charset=utf-8")
            : NotFound(id);
    }

    [HttpDelete("{id}")]
    public async Task<IResult> DeleteAsync(string id) =>
        await store.DeleteAsync(ResponseOwner.Of(HttpContext), id, HttpContext.RequestAborted)
            ? TypedResults.Json(new ResponseDeleted(id), JsonWire.Responses.ResponseDeleted)
            : NotFound(id);

    /// <summary>
    /// The input items of the request that made the response (not those of the responses it continues), a page at a time:
    /// <c>limit</c> (1–100, default 20), <c>order</c> (<c>desc</c> by default, as OpenAI), <c>after</c>, <c>before</c>.
    /// </summary>
    [HttpGet("{id}/input_items")]
    public async Task<IResult> ListInputItemsAsync(string id)
    {
        var query = Request.Query;
        var limit = DefaultPageSize;
        if (query.TryGetValue("limit", out var limitValue)
            && (!int.TryParse(limitValue, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxPageSize))
        {
            return OpenAIErrors.Result(OpenAIError.BadRequest(string.Create(CultureInfo.InvariantCulture, $"Invalid 'limit': must be an integer from 1 to {MaxPageSize}."), "limit", "invalid_value"));
        }

        var order = query.TryGetValue("order", out var orderValue) ? orderValue.ToString() : "desc";
        if (order is not ("asc" or "desc"))
        {
            return OpenAIErrors.Result(OpenAIError.BadRequest($"Invalid value: '{LogText.Cut(order)}'. Supported values are: 'asc' and 'desc'.", "order", "invalid_value"));
        }

        if (await store.FindAsync(ResponseOwner.Of(HttpContext), id, HttpContext.RequestAborted) is not { } found)
        {
            return NotFound(id);
        }

        using var document = JsonDocument.Parse(found.InputItems);
        var items = document.RootElement.EnumerateArray().Select(item => item.Clone()).ToList();
        if (order == "desc")
        {
            items.Reverse();
        }

        var start = query.TryGetValue("after", out var after) ? items.FindIndex(item => IdOf(item) == after) + 1 : 0;
        var end = query.TryGetValue("before", out var before) && items.FindIndex(item => IdOf(item) == before) is >= 0 and var stop ? stop : items.Count;
        var page = items.Skip(start).Take(Math.Min(limit, Math.Max(0, end - start))).ToList();
        return TypedResults.Json(
            new ResponseItemList(page, start + page.Count < end, page.Count > 0 ? IdOf(page[0]) : null, page.Count > 0 ? IdOf(page[^1]) : null),
            JsonWire.Responses.ResponseItemList);
    }

    /// <summary>Only a background response can be cancelled, and AgentApi makes none; the caller's response is named as on OpenAI.</summary>
    [HttpPost("{id}/cancel")]
    public async Task<IResult> CancelAsync(string id) =>
        await store.FindAsync(ResponseOwner.Of(HttpContext), id, HttpContext.RequestAborted) is null
            ? NotFound(id)
            : OpenAIErrors.Result(OpenAIError.BadRequest("Only responses created with 'background: true' can be cancelled, and AgentApi answers none in the background.", null, "invalid_request"));

    private static IResult NotFound(string id) => OpenAIErrors.Result(new OpenAIError(
        StatusCodes.Status404NotFound, $"Response with id '{LogText.Cut(id)}' not found.", OpenAIError.InvalidRequest, null, "response_not_found"));

    private static string? IdOf(JsonElement item) => item.TryGetProperty("id", out var id) ? id.GetString() : null;

    /// <summary>The request at Debug: its shape, and the functions' outputs (user data, cut).</summary>
    private void LogRequest(ResponseRequest request, ResponseIdentity identity, int earlierItems, OpenAIConversation conversation)
    {
        if (!logger.IsEnabled(LogLevel.Debug))
        {
            return;
        }

        Log.ResponseRequested(logger, identity.ResponseId, LogText.Cut(request.Model), request.Input.Count, LogText.Cut(request.PreviousResponseId ?? "none"), earlierItems,
            request.Tools?.Tools.Count ?? 0, request.Format?.Kind.ToString() ?? "text", request.Instructions is not null, request.Store, request.Stream, LogText.Cut(request.SafetyIdentifier ?? request.User));
        foreach (var result in conversation.ToolTurns.Where(turn => turn.Role == ChatRole.Tool))
        {
            OpenAICompatible.Log.ToolResult(logger, LogText.Cut(result.ToolCallId), LogText.Cut(result.Text));
        }
    }
}
