namespace AgentApi.Web.Ask;

/// <summary>Token totals over both steps.</summary>
public sealed record UsageResponse(int InputTokens, int OutputTokens, int TotalTokens);
