using System.ComponentModel;

namespace AgentApi.Core.Providers;

/// <summary>Tokens a model read (<paramref name="Input"/>) and wrote (<paramref name="Output"/>).</summary>
[ImmutableObject(true)]
public sealed record TokenUsage(int Input, int Output)
{
    public static readonly TokenUsage None = new(0, 0);

    public int Total => Input + Output;

    public static TokenUsage operator +(TokenUsage left, TokenUsage right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new(left.Input + right.Input, left.Output + right.Output);
    }

    public static TokenUsage Add(TokenUsage left, TokenUsage right) => left + right;
}
