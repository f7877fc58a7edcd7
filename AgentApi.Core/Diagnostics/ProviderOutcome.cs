using AgentApi.Core.Providers;

namespace AgentApi.Core.Diagnostics;

/// <summary>The <c>outcome</c> tag of a provider call: <c>success</c>, <c>cancelled</c> (the caller went away), a failure's <see cref="ProviderFailureInfo.Outcome"/>, or <c>error</c> for anything unexpected.</summary>
public static class ProviderOutcome
{
    public const string Success = "success";
    public const string Cancelled = "cancelled";
    public const string Error = "error";
}
