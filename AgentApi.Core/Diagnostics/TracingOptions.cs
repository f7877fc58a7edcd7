namespace AgentApi.Core.Diagnostics;

/// <summary>What AgentApi's spans may record beyond the GenAI conventions' defaults (docs/tracing.md).</summary>
public sealed class TracingOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string Section = "Tracing";

    /// <summary>
    /// Prompts, instructions and answers on the model-call spans (<c>gen_ai.input.messages</c>,
    /// <c>gen_ai.system_instructions</c>, <c>gen_ai.output.messages</c>). Off by default: they are the callers' data.
    /// Set by <c>OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT</c>, the conventions' opt-in.
    /// </summary>
    public bool CaptureMessageContent { get; set; }
}
