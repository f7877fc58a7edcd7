namespace AgentApi.Infrastructure.Providers.OpenAI;

/// <summary><c>response_format</c>: <c>text</c>, <c>json_object</c>, or <c>json_schema</c> with its schema.</summary>
internal sealed record ChatResponseFormat(string Type, ChatJsonSchema? JsonSchema = null);
