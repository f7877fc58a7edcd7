namespace AgentApi.Web.OpenAICompatible;

/// <summary>One error as OpenAI reports it: the HTTP status and the four keys of <c>{"error": {…}}</c>.</summary>
/// <param name="Status">HTTP status.</param>
/// <param name="Message">What went wrong and what to do; never a key or a provider's own error text.</param>
/// <param name="Type"><c>invalid_request_error</c>, <c>rate_limit_exceeded</c>, <c>server_error</c>, …</param>
/// <param name="Param">The request field at fault (<c>messages[2].content[0].type</c>), when one is.</param>
/// <param name="Code">A stable code to branch on (<c>model_not_found</c>, <c>provider_timeout</c>, …).</param>
internal sealed record OpenAIError(int Status, string Message, string Type, string? Param = null, string? Code = null)
{
    public const string InvalidRequest = "invalid_request_error";

    public static OpenAIError BadRequest(string message, string? param, string? code = null) =>
        new(StatusCodes.Status400BadRequest, message, InvalidRequest, param, code);

    public static OpenAIError ModelNotFound(string model) =>
        new(StatusCodes.Status404NotFound, $"The model '{model}' does not exist. GET /v1/models lists the models this service offers.", InvalidRequest, "model", "model_not_found");
}
