namespace AgentApi.Web.Responses;

/// <summary>Why a response failed: the <c>code</c> and <c>message</c> of the OpenAI error the request would have got before its stream started.</summary>
internal sealed record ResponseError(string? Code, string Message);
