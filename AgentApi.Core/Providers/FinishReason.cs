namespace AgentApi.Core.Providers;

/// <summary>Why a model stopped generating, normalised across providers.</summary>
public enum FinishReason
{
    /// <summary>Natural end of the answer.</summary>
    Stop,

    /// <summary>The output token limit cut the answer short.</summary>
    Length,

    /// <summary>The provider withheld content for safety or policy reasons.</summary>
    ContentFilter,

    /// <summary>Any other or unknown reason.</summary>
    Other,

    /// <summary>The model called tools: the caller runs them and sends their results.</summary>
    ToolCalls,
}
