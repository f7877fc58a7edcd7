using Microsoft.AspNetCore.Mvc;

namespace AgentApi.Web.Errors;

/// <summary>
/// Completes the problems the framework writes itself (unknown path, wrong method, wrong content type): this
/// service's <c>type</c>, and a <c>detail</c> that says what to do where the framework leaves it empty.
/// </summary>
internal static class FrameworkProblems
{
    public static void Complete(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        ProblemTypes.ReplaceFrameworkDefault(problem);
        if (problem.Detail is not null)
        {
            return;
        }

        var request = context.HttpContext.Request;
        problem.Detail = problem.Status switch
        {
            StatusCodes.Status404NotFound => $"There is nothing at {request.Method} {request.Path}. GET / lists the endpoints; /docs describes them.",
            StatusCodes.Status405MethodNotAllowed => $"{request.Path} does not answer {request.Method}. Use {Allowed(context.HttpContext.Response)} (the Allow header lists the methods).",
            StatusCodes.Status415UnsupportedMediaType => request.GetTypedHeaders().ContentType?.MediaType.Value is { Length: > 0 } sent
                ? $"The body was sent as {sent}. Send it as JSON with the header Content-Type: application/json."
                : "The body was sent without a Content-Type. Send it as JSON with the header Content-Type: application/json.",
            _ => null,
        };
    }

    private static string Allowed(HttpResponse response)
    {
        var methods = response.Headers.Allow.ToString();
        return methods.Length == 0 ? "another method" : methods.Replace(",", " or", StringComparison.Ordinal);
    }
}
