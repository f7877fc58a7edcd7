namespace AgentApi.Web.OpenAICompatible;

/// <summary>A <c>/v1</c> request that cannot be served as sent; <see cref="Error"/> names the field.</summary>
internal sealed class InvalidOpenAIRequestException(OpenAIError error) : Exception(error.Message)
{
    public OpenAIError Error { get; } = error;
}
