namespace AgentApi.Web.OpenAICompatible;

/// <summary>
/// Writes the problems of <c>/v1</c> requests in OpenAI's error shape, so the SDKs raise their typed errors; the
/// framework's writer keeps every other path on problem+json. Asked before it (registered first).
/// </summary>
internal sealed class OpenAIErrorWriter : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => OpenAIErrors.Applies(context.HttpContext.Request);

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var error = OpenAIErrors.From(context.ProblemDetails, context.HttpContext);
        var response = context.HttpContext.Response;
        response.StatusCode = error.Status;
        return new ValueTask(response.WriteAsJsonAsync(OpenAIErrorResponse.From(error), OpenAICompatibleJsonContext.Default.OpenAIErrorResponse));
    }
}
