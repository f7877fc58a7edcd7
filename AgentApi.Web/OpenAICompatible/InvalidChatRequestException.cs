namespace AgentApi.Web.OpenAICompatible;

/// <summary>A chat completion request that cannot be served as sent; <see cref="Error"/> names the field.</summary>
internal sealed class InvalidChatRequestException(OpenAIError error) : Exception(error.Message)
{
    public OpenAIError Error { get; } = error;
}
