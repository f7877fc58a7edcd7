using Microsoft.Net.Http.Headers;

namespace AgentApi.Web.Hosting;

/// <summary>
/// <c>X-Content-Type-Options: nosniff</c> on every response the pipeline writes, so a browser never runs an
/// answer or an error as HTML or script. (Kestrel's <c>Server</c> header is switched off in <see cref="KestrelHardening"/>.)
/// </summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        // Set as the response starts: the exception handler clears headers set before it runs.
        context.Response.OnStarting(static state =>
        {
            ((HttpResponse)state).Headers[HeaderNames.XContentTypeOptions] = "nosniff";
            return Task.CompletedTask;
        }, context.Response);
        return next(context);
    }
}
