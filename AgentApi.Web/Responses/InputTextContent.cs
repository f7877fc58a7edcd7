namespace AgentApi.Web.Responses;

/// <summary>An <c>input_text</c> part of a user, system or developer message.</summary>
internal sealed record InputTextContent(string Text) : ResponseContent;
