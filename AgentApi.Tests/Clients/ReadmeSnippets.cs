using System.Text.RegularExpressions;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Clients;

/// <summary>The code blocks of README.md, as a newcomer copies them.</summary>
internal static partial class ReadmeSnippets
{
    /// <summary>The first <paramref name="language"/> code block under the heading <paramref name="heading"/>.</summary>
    public static string Get(string heading, string language)
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var start = readme.IndexOf($"\n{heading}\n", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), $"README has no heading '{heading}'");
        var block = CodeBlock().Matches(readme[start..]).FirstOrDefault(m => m.Groups["language"].Value == language);
        Assert.That(block, Is.Not.Null, $"no {language} block under '{heading}'");
        return block!.Groups["code"].Value;
    }

    [GeneratedRegex(@"^```(?<language>\w+)\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CodeBlock();
}
