using System.Globalization;
using AgentApi.Core.Configuration;

namespace AgentApi.Core.Diagnostics;

/// <summary>Reads a price table: <c>model=input/output</c> entries separated by <c>;</c> or <c>,</c>, in USD per million tokens.</summary>
public static class PriceTable
{
    private const string Format = "must look like 'gpt-4o-mini=0.15/0.60;gemma=0/0' (model=input/output USD per million tokens)";

    /// <summary>The entries of <paramref name="text"/>; an <see cref="InvalidSettingException"/> naming <paramref name="setting"/> when one is malformed.</summary>
    public static IReadOnlyList<KeyValuePair<string, ModelPrice>> Parse(string text, string setting)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<KeyValuePair<string, ModelPrice>>();
        foreach (var entry in text.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            var slash = entry.IndexOf('/', equals + 1);
            if (equals <= 0 || slash < 0
                || !TryReadPrice(entry.AsSpan(equals + 1, slash - equals - 1), out var input)
                || !TryReadPrice(entry.AsSpan(slash + 1), out var output))
            {
                // The position, not the text: a key pasted here by mistake must not reach the log.
                throw new InvalidSettingException(setting, string.Create(CultureInfo.InvariantCulture, $"{Format}; entry {entries.Count + 1} does not."));
            }

            entries.Add(new(entry[..equals].Trim(), new ModelPrice(input, output)));
        }

        return entries;
    }

    private static bool TryReadPrice(ReadOnlySpan<char> text, out double price) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out price) && price >= 0 && double.IsFinite(price);
}
