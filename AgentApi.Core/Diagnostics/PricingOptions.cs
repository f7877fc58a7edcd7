namespace AgentApi.Core.Diagnostics;

/// <summary>
/// The price table behind the estimated cost metric, bound from the <c>Pricing</c> section. Keys are
/// model ids or their prefixes (<c>gpt-4o-mini</c> also prices <c>gpt-4o-mini-2024-07-18</c>); the
/// longest matching key wins. A model without a price still counts tokens, but adds nothing to the cost.
/// </summary>
public sealed class PricingOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string Section = "Pricing";

    private IReadOnlyList<KeyValuePair<string, ModelPrice>>? _table;
    private string? _tableText;

    /// <summary>Published list prices at the time of writing (text, standard tier): Gemma is free on the Gemini API and local servers.</summary>
    public static IReadOnlyDictionary<string, ModelPrice> Defaults { get; } = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase)
    {
        ["gpt-4o-mini"] = new(0.15, 0.60),
        ["claude-haiku-4-5"] = new(1, 5),
        ["gemma"] = new(0, 0),
        ["gemini-2.5-flash"] = new(0.30, 2.50),

        // Its own entry: the longest prefix wins, and Flash's price would be wrong for it.
        ["gemini-2.5-flash-lite"] = new(0.10, 0.40),
    };

    /// <summary>Model id or prefix → price.</summary>
    public Dictionary<string, ModelPrice> Prices { get; } = new(Defaults, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Entries that add to or replace <see cref="Prices"/>: <c>model=input/output;model=input/output</c>,
    /// USD per million tokens (see <see cref="PriceTable"/>).
    /// </summary>
    public string? Table
    {
        get => _tableText;
        set
        {
            _tableText = value;
            _table = null;
        }
    }

    /// <summary>The price of the longest key that <paramref name="model"/> starts with, or null when none does.</summary>
    public ModelPrice? Find(string model)
    {
        ModelPrice? best = null;
        var bestLength = -1;
        foreach (var (key, price) in Prices)
        {
            Consider(key, price);
        }

        // Table entries come last and win a tie: the same key, so the table replaces the price.
        var table = TableEntries();
        for (var i = 0; i < table.Count; i++)
        {
            Consider(table[i].Key, table[i].Value);
        }

        return best;

        void Consider(string key, ModelPrice price)
        {
            if (key.Length >= bestLength && model.StartsWith(key, StringComparison.OrdinalIgnoreCase))
            {
                best = price;
                bestLength = key.Length;
            }
        }
    }

    // Validated at start (PricingOptionsValidator), so parsing here cannot fail in a running service.
    private IReadOnlyList<KeyValuePair<string, ModelPrice>> TableEntries() =>
        _tableText is null ? [] : _table ??= PriceTable.Parse(_tableText, nameof(Table));
}
