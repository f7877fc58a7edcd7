namespace AgentApi.Web.WarmUp;

/// <summary>The warm-up a starting instance runs before it reports ready, bound from the <c>WarmUp</c> section.</summary>
public sealed class WarmUpOptions
{
    public const string Section = "WarmUp";

    /// <summary>Asks sent through the whole ask path, one after another, before readiness turns 200; 0 turns the warm-up off.</summary>
    public int Asks { get; set; } = 500;
}
