using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AgentApi.Web.Errors;

/// <summary>
/// Writes every problem outside <c>/v1</c> the same way, whoever raised it and wherever: completed by
/// <see cref="ProblemDetailsOptions.CustomizeProblemDetails"/> (the request ID), with the HTTP JSON settings and one
/// <c>Content-Type</c>, <c>application/problem+json</c>. Without it, a problem written inside an MVC action went
/// through MVC's output formatters (<c>…; charset=utf-8</c>) and one written outside it did not.
/// </summary>
internal sealed class ProblemJsonWriter(IOptions<ProblemDetailsOptions> options, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IProblemDetailsWriter
{
    public const string ContentType = "application/problem+json";

    public bool CanWrite(ProblemDetailsContext context) => !OpenAICompatible.OpenAIErrors.Applies(context.HttpContext.Request);

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        options.Value.CustomizeProblemDetails?.Invoke(context);
        var response = context.HttpContext.Response;
        var problem = context.ProblemDetails;
        return new ValueTask(response.WriteAsJsonAsync(problem, problem.GetType(), json.Value.SerializerOptions, ContentType, response.HttpContext.RequestAborted));
    }
}
