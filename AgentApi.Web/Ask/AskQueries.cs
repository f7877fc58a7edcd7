using AgentApi.Core.Ask;
using AgentApi.Web.Callers;

namespace AgentApi.Web.Ask;

/// <summary>The one rule that turns a request into an <see cref="AskQuery"/>, shared by <c>/api/ask</c> and <c>/api/ask/stream</c>.</summary>
internal static class AskQueries
{
    /// <summary><c>"cache": false</c> or <c>Cache-Control: no-cache</c> (or <c>no-store</c>) skips the cache read.</summary>
    public static AskQuery From(AskRequest request, HttpRequest httpRequest)
    {
        var useCache = request.Cache ?? true;
        if (httpRequest.GetTypedHeaders().CacheControl is { NoCache: true } or { NoStore: true })
        {
            useCache = false;
        }

        return new AskQuery(request.Query, request.Context, useCache, httpRequest.HttpContext.Features.Get<CallerFeature>()?.CacheScope);
    }
}
