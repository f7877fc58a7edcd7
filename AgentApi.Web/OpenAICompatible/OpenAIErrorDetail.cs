namespace AgentApi.Web.OpenAICompatible;

/// <summary>The inside of OpenAI's error body.</summary>
internal sealed record OpenAIErrorDetail(string Message, string Type, string? Param, string? Code);
