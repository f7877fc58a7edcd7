using System.Globalization;
using System.Text.RegularExpressions;

namespace AgentApi.Tests.Support;

/// <summary>One scrape of <c>/metrics</c> in the Prometheus text format, parsed into samples.</summary>
public sealed partial class PrometheusScrape
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples;

    private PrometheusScrape(string text, List<(string, Dictionary<string, string>, double)> samples)
    {
        Text = text;
        _samples = samples;
    }

    public string Text { get; }

    public static async Task<PrometheusScrape> ScrapeAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        var text = await response.Content.ReadAsStringAsync();
        var samples = new List<(string, Dictionary<string, string>, double)>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var match = SampleLine().Match(line);
            if (!match.Success)
            {
                throw new FormatException($"Not a Prometheus sample line: {line}");
            }

            var labels = LabelPair().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value);
            var value = match.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                var number => double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            samples.Add((match.Groups["name"].Value, labels, value));
        }

        return new PrometheusScrape(text, samples);
    }

    /// <summary>The sum of every series of <paramref name="name"/> whose labels include <paramref name="labels"/> (0 when none).</summary>
    public double Sum(string name, params (string Name, string Value)[] labels) =>
        Series(name, labels).Sum(s => s.Value);

    public bool Has(string name, params (string Name, string Value)[] labels) => Series(name, labels).Any();

    /// <summary>Every metric name served, each with the label names any of its series carries.</summary>
    public IReadOnlyDictionary<string, HashSet<string>> LabelNames() =>
        _samples.GroupBy(s => s.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.SelectMany(s => s.Labels.Keys).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);

    private IEnumerable<(string Name, Dictionary<string, string> Labels, double Value)> Series(string name, (string Name, string Value)[] labels) =>
        _samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value));

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)( \d+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex(""""(?<name>[a-zA-Z_][a-zA-Z0-9_]*)="(?<value>(\\.|[^"\\])*)"""")]
    private static partial Regex LabelPair();
}
