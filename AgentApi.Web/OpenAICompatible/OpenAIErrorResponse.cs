namespace AgentApi.Web.OpenAICompatible;

/// <summary>OpenAI's error body, <c>{"error": {"message", "type", "param", "code"}}</c>, all four keys always present.</summary>
internal sealed record OpenAIErrorResponse(OpenAIErrorDetail Error)
{
    public static OpenAIErrorResponse From(OpenAIError error) => new(new OpenAIErrorDetail(error.Message, error.Type, error.Param, error.Code));
}
