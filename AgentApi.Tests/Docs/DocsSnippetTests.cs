using AgentApi.Tests.Support;

namespace AgentApi.Tests.Docs;

/// <summary>
/// The stream readers docs/streaming.md tells callers to copy are the code the tests run: the local function in
/// <see cref="Clients.AskStreamReader"/> (C#, which the streaming tests read through) and
/// <c>clients/typescript/src/askStream.ts</c> (fetch, which the node tests run). Each is marked
/// <c>DOCS-BEGIN</c>/<c>DOCS-END</c>; the page's block must contain the marked lines verbatim (less their common indentation).
/// </summary>
[TestFixture]
public sealed class DocsSnippetTests
{
    [TestCase("AgentApi.Tests/Clients/AskStreamReader.cs", "csharp", "### C#")]
    [TestCase("clients/typescript/src/askStream.ts", "typescript", "### TypeScript")]
    public void Docs_StreamReaderSnippet_IsTheTestedCode(string path, string marker, string heading)
    {
        var snippet = Snippet(File.ReadAllLines(Path.Combine(RepositoryPaths.Root, path)), marker);
        var language = marker == "typescript" ? "ts" : marker;
        var block = DocsSnippets.Get("docs/streaming.md", heading, language, containing: snippet.Split('\n')[0]);

        Assert.That(snippet, Is.Not.Empty);
        Assert.That(block, Does.Contain(snippet), $"docs/streaming.md must show {path}'s DOCS-{marker} block verbatim; copy it there.");
    }

    private static string Snippet(string[] lines, string marker)
    {
        var start = Array.FindIndex(lines, l => l.Trim() == $"// DOCS-BEGIN {marker}") + 1;
        var end = Array.FindIndex(lines, l => l.Trim() == $"// DOCS-END {marker}");
        Assert.That(end, Is.GreaterThan(start), $"no DOCS-BEGIN {marker} … DOCS-END {marker} lines");
        var block = lines[start..end];
        var indent = block.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Join('\n', block.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
    }
}
