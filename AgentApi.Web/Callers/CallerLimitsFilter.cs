using AgentApi.Core.Ask;
using AgentApi.Core.Callers;
using AgentApi.Core.Diagnostics;
using AgentApi.Web.Ask;
using AgentApi.Web.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;

namespace AgentApi.Web.Callers;

/// <summary>
/// Around an ask: admits it under the caller's limits (429 when over one), then charges the tokens the providers
/// reported, in place of the estimate reserved at admission (nothing for an answer from the cache), and gives the
/// concurrency place back; the tokens are counted by caller in <c>agentapi_caller_tokens_total</c> with or without limits. Cache bypass (<c>"cache": false</c>, <c>no-cache</c>) is admitted like any ask.
/// </summary>
internal sealed class CallerLimitsFilter(ICallerLimiter limiter, IOptions<AskOptions> askOptions) : IAsyncActionFilter
{
    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        if (WarmUpScope.IsActive)
        {
            // The instance's own warm-up asks: no caller's limits, and no tokens spent.
            await next();
            return;
        }

        var estimate = context.ActionArguments.Values.OfType<AskRequest>().FirstOrDefault() is { } request
            ? TokenEstimate.For(request.Query, request.Context, askOptions.Value.ExecutorMaxOutputTokens)
            : 0;

        await using var admission = await CallerAdmission.AdmitAsync(context.HttpContext, limiter, estimate);
        if (admission is null)
        {
            context.Result = new EmptyResult();
            return;
        }

        long tokens = 0;
        try
        {
            await next();

            // Both /api/ask and /api/ask/stream hand their result to the request's telemetry.
            if (context.HttpContext.Features.Get<RequestTelemetry>()?.Ask is { Cached: false } ask)
            {
                tokens = ask.Answer.Usage.Total;
            }
        }
        finally
        {
            // A failed ask charges nothing: its providers' usage is not reported back.
            await admission.SettleAsync(tokens);
        }
    }
}
