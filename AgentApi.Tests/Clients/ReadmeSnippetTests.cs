using AgentApi.Tests.Support;

namespace AgentApi.Tests.Clients;

/// <summary>
/// The stream readers the README tells callers to copy are the code the tests run: <see cref="AskStreamReader"/>
/// (C#) and <c>clients/typescript/src/askStream.ts</c> (fetch). Each is marked <c>README-BEGIN</c>/<c>README-END</c>;
/// the README must contain the marked lines verbatim (less their common indentation).
/// </summary>
[TestFixture]
public sealed class ReadmeSnippetTests
{
    [TestCase("AgentApi.Tests/Clients/AskStreamReader.cs", "csharp")]
    [TestCase("clients/typescript/src/askStream.ts", "typescript")]
    public void Readme_StreamReaderSnippet_IsTheTestedCode(string path, string language)
    {
        var snippet = Snippet(File.ReadAllLines(Path.Combine(RepositoryPaths.Root, path)), language);
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md")).ReplaceLineEndings("\n");

        Assert.That(snippet, Is.Not.Empty);
        Assert.That(readme, Does.Contain(snippet), $"README.md must show {path}'s README-{language} block verbatim; copy it there.");
    }

    private static string Snippet(string[] lines, string language)
    {
        var start = Array.FindIndex(lines, l => l.Trim() == $"// README-BEGIN {language}") + 1;
        var end = Array.FindIndex(lines, l => l.Trim() == $"// README-END {language}");
        var block = lines[start..end];
        var indent = block.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Join('\n', block.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
    }
}
