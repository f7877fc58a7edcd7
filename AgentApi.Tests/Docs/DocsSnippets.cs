using System.Text.RegularExpressions;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Docs;

/// <summary>
/// The code blocks of README.md and docs/*.md as a newcomer copies them. A test that runs a block fetches it with
/// <see cref="Get"/>, which also checks the block says so: <c>&lt;!-- run by: ThisClass.ThisMethod --&gt;</c> on the
/// line before its fence (<c>DocsCodeBlockTests</c> checks every other block is marked as not run).
/// </summary>
internal static partial class DocsSnippets
{
    /// <summary>README.md and every page directly in docs/ (the decision records are history, not instructions).</summary>
    public static IReadOnlyList<string> Pages { get; } =
    [
        "README.md",
        .. Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "docs"), "*.md")
            .Select(path => "docs/" + Path.GetFileName(path))
            .Order(StringComparer.Ordinal),
    ];

    public static string Read(string page) =>
        File.ReadAllText(Path.Combine(RepositoryPaths.Root, page)).ReplaceLineEndings("\n");

    /// <summary>Every fenced block of <paramref name="page"/>, in order.</summary>
    public static IReadOnlyList<DocBlock> Blocks(string page)
    {
        var lines = Read(page).Split('\n');
        var blocks = new List<DocBlock>();
        var heading = string.Empty;
        for (var i = 0; i < lines.Length; i++)
        {
            var fence = Fence().Match(lines[i]);
            if (!fence.Success)
            {
                if (HeadingLine().IsMatch(lines[i]))
                {
                    heading = lines[i].Trim();
                }

                continue;
            }

            var indent = fence.Groups["indent"].Value;
            var close = indent + fence.Groups["fence"].Value;
            var end = Array.FindIndex(lines, i + 1, line => line.TrimEnd() == close);
            Assert.That(end, Is.GreaterThan(i), $"{page}:{i + 1}: the code block is never closed");
            var code = string.Concat(lines[(i + 1)..end].Select(line => (line.StartsWith(indent, StringComparison.Ordinal) ? line[indent.Length..] : line.TrimStart()) + "\n"));
            var marker = i > 0 && Comment().Match(lines[i - 1]) is { Success: true } comment ? comment.Groups["text"].Value.Trim() : null;
            blocks.Add(new DocBlock(page, i + 1, heading, fence.Groups["language"].Value, code, marker));
            i = end;
        }

        return blocks;
    }

    /// <summary>
    /// The first <paramref name="language"/> block under <paramref name="heading"/> (the whole heading line) of
    /// <paramref name="page"/>, or the first that contains <paramref name="containing"/>; the block must be marked as run
    /// by the test calling this.
    /// </summary>
    public static string Get(string page, string heading, string language, string? containing = null)
    {
        var block = Blocks(page).FirstOrDefault(b =>
            b.Heading == heading && b.Language == language && (containing is null || b.Code.Contains(containing, StringComparison.Ordinal)));
        Assert.That(block, Is.Not.Null, $"{page} has no {language} block under '{heading}'{(containing is null ? "" : $" containing '{containing}'")}");

        var test = TestContext.CurrentContext.Test;
        var caller = $"{test.ClassName?.Split('.')[^1]}.{test.MethodName}";
        Assert.That(block!.RunBy, Does.Contain(caller), $"{block}: mark it <!-- run by: {caller} --> on the line before its fence, as the test that runs it");
        return block.Code;
    }

    [GeneratedRegex(@"^(?<indent> *)(?<fence>`{3,})(?<language>[\w+#-]*)\s*$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"^#{1,6} \S")]
    private static partial Regex HeadingLine();

    [GeneratedRegex(@"^\s*<!--(?<text>.*?)-->\s*$")]
    private static partial Regex Comment();
}
