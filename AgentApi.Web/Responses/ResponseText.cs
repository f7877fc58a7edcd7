namespace AgentApi.Web.Responses;

/// <summary>A response's <c>text</c> settings: its format.</summary>
internal sealed record ResponseText(ResponseTextFormat Format);
