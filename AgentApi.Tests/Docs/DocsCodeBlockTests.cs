using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Docs;

/// <summary>
/// README.md and docs/*.md stay honest as they change: every code block a reader could run is run by a test, or says
/// why not; every link lands; every test the pages quote exists; the README stays short.
/// </summary>
[TestFixture]
public sealed partial class DocsCodeBlockTests
{
    /// <summary>Output, data and diagrams (```text, ```json, or a fence that names no language): shown, never run. Every other block needs a marker.</summary>
    private static readonly HashSet<string> ShownNotRun = new(StringComparer.Ordinal) { "text", "json", "" };

    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    [Test]
    public void EveryCodeBlock_InReadmeAndDocs_IsRunByATestOrMarkedNotRun()
    {
        var unmarked = DocsSnippets.Pages
            .SelectMany(DocsSnippets.Blocks)
            .Where(block => !ShownNotRun.Contains(block.Language) && block.RunBy.Count == 0 && string.IsNullOrEmpty(block.NotRunReason))
            .Select(block => block.ToString())
            .ToList();

        Assert.That(unmarked, Is.Empty,
            "A block a reader could run must be run by a test (<!-- run by: Class.Method --> on the line before its fence, the test "
            + "fetching it with DocsSnippets.Get) or say why not (<!-- not run: reason -->). Output and data are ```text or ```json.");
    }

    [Test]
    public void RunByMarkers_EachName_IsATestOfThisAssembly()
    {
        var tests = typeof(DocsCodeBlockTests).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(Declared)
                .Where(IsTest)
                .Select(method => $"{type.Name}.{method.Name}"))
            .ToHashSet(StringComparer.Ordinal);

        var unknown = DocsSnippets.Pages
            .SelectMany(DocsSnippets.Blocks)
            .SelectMany(block => block.RunBy.Where(name => !tests.Contains(name)).Select(name => $"{block}: {name}"))
            .ToList();

        Assert.That(unknown, Is.Empty, "a run-by marker names a test that does not exist");
    }

    [Test]
    public void Readme_Length_IsAtMost300Lines()
    {
        var lines = DocsSnippets.Read("README.md").TrimEnd('\n').Split('\n').Length;

        Assert.That(lines, Is.AtMost(300), "README.md is the way in: what AgentApi is, set-up, the walk-through, endpoints, links. The rest belongs in docs/.");
    }

    [Test]
    public void Links_BetweenPages_PointToExistingFilesAndHeadings()
    {
        var broken = new List<string>();
        foreach (var page in DocsSnippets.Pages)
        {
            foreach (Match link in Link().Matches(WithoutCodeBlocks(DocsSnippets.Read(page))))
            {
                var target = link.Groups["target"].Value;
                if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    continue;
                }

                var (path, anchor) = target.IndexOf('#', StringComparison.Ordinal) is var hash and >= 0 ? (target[..hash], target[(hash + 1)..]) : (target, "");
                var file = path.Length == 0
                    ? Path.Combine(RepositoryPaths.Root, page)
                    : Path.GetFullPath(Path.Combine(RepositoryPaths.Root, Path.GetDirectoryName(page)!, path));
                if (!File.Exists(file) && !Directory.Exists(file))
                {
                    broken.Add($"{page}: {target} (no such file)");
                }
                else if (anchor.Length > 0 && file.EndsWith(".md", StringComparison.Ordinal) && !Anchors(File.ReadAllText(file)).Contains(anchor))
                {
                    broken.Add($"{page}: {target} (no such heading)");
                }
            }
        }

        Assert.That(broken, Is.Empty);
    }

    [Test]
    public void TestNames_QuotedInTheDocs_AreTestsOfThisAssembly()
    {
        var types = typeof(DocsCodeBlockTests).Assembly.GetTypes();
        var names = types.Select(type => type.Name)
            .Concat(types.SelectMany(type => type.GetMethods(Declared).Where(IsTest).Select(method => method.Name)))
            .Concat(types.SelectMany(type => type.GetMethods(Declared))
                .SelectMany(method => method.GetCustomAttributes<TestCaseAttribute>()).Select(testCase => testCase.TestName).OfType<string>())
            .ToHashSet(StringComparer.Ordinal);

        var missing = DocsSnippets.Pages
            .SelectMany(page => QuotedTestName().Matches(DocsSnippets.Read(page)).Select(match => (page, name: match.Groups["name"].Value)))
            .Where(quoted => !names.Contains(quoted.name))
            .Select(quoted => $"{quoted.page}: {quoted.name}")
            .Distinct()
            .ToList();

        Assert.That(missing, Is.Empty, "the page names a test that does not exist: renamed or gone?");
    }

    private static bool IsTest(MethodInfo method) =>
        method.IsDefined(typeof(TestAttribute)) || method.IsDefined(typeof(TestCaseAttribute)) || method.IsDefined(typeof(TestCaseSourceAttribute));

    private static string WithoutCodeBlocks(string markdown) => FencedBlock().Replace(markdown, string.Empty);

    /// <summary>The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered.</summary>
    private static HashSet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match heading in HeadingText().Matches(WithoutCodeBlocks(markdown.ReplaceLineEndings("\n"))))
        {
            var slug = new StringBuilder();
            foreach (var c in heading.Groups["text"].Value.Trim().ToLowerInvariant())
            {
                if (char.IsLetterOrDigit(c) || c is '-' or '_')
                {
                    slug.Append(c);
                }
                else if (c == ' ')
                {
                    slug.Append('-');
                }
            }

            var anchor = slug.ToString();
            for (var n = 1; !anchors.Add(anchor); n++)
            {
                anchor = $"{slug}-{n}";
            }
        }

        return anchors;
    }

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"^ *```.*?^ *```[^\n]*$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedBlock();

    [GeneratedRegex(@"^#{1,6} (?<text>.+)$", RegexOptions.Multiline)]
    private static partial Regex HeadingText();

    /// <summary>`Method_Condition_Expected` or `SomethingTests`, in backticks.</summary>
    [GeneratedRegex(@"`(?<name>[A-Z][a-z][A-Za-z0-9]*_[A-Z][A-Za-z0-9]*_[A-Z][A-Za-z0-9]*|[A-Z][A-Za-z0-9]*Tests)`")]
    private static partial Regex QuotedTestName();
}
