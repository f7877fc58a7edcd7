namespace AgentApi.Core.Diagnostics;

/// <summary>
/// The price table behind the estimated cost metric. Keys are model ids or their prefixes
/// (<c>gpt-4o-mini</c> also prices <c>gpt-4o-mini-2024-07-18</c>); the longest matching key wins.
/// <c>PRICE_TABLE</c> adds or overrides entries: <c>model=input/output;model=input/output</c>, USD per
/// million tokens. A model without a price still counts tokens, but adds nothing to the cost.
/// </summary>
public sealed class PricingOptions
{
    /// <summary>Published list prices at the time of writing: gpt-4o-mini $0.15/$0.60; Gemma is free on the Gemini API and local servers.</summary>
    public static IReadOnlyDictionary<string, ModelPrice> Defaults { get; } = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase)
    {
        ["gpt-4o-mini"] = new(0.15, 0.60),
        ["gemma"] = new(0, 0),
    };

    /// <summary>Model id or prefix → price.</summary>
    public Dictionary<string, ModelPrice> Prices { get; } = new(Defaults, StringComparer.OrdinalIgnoreCase);

    /// <summary>The price of the longest key that <paramref name="model"/> starts with, or null when none does.</summary>
    public ModelPrice? Find(string model)
    {
        ModelPrice? best = null;
        var bestLength = -1;
        foreach (var (key, price) in Prices)
        {
            if (key.Length > bestLength && model.StartsWith(key, StringComparison.OrdinalIgnoreCase))
            {
                best = price;
                bestLength = key.Length;
            }
        }

        return best;
    }
}
