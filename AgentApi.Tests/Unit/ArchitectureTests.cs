using System.Reflection;

namespace AgentApi.Tests.Unit;

/// <summary>The layering rules of the design card, checked on the compiled assemblies.</summary>
[TestFixture]
public sealed class ArchitectureTests
{
    private static readonly Assembly Core = typeof(AgentApi.Core.Ask.IAskService).Assembly;
    private static readonly Assembly Infrastructure = typeof(AgentApi.Infrastructure.DependencyInjection).Assembly;
    private static readonly Assembly Web = typeof(AgentApi.Web.DependencyInjection).Assembly;

    private static IEnumerable<string> References(Assembly assembly) => assembly.GetReferencedAssemblies().Select(a => a.Name ?? string.Empty);

    [TestCase("Microsoft.AspNetCore")]
    [TestCase("Refit")]
    [TestCase("Polly")]
    [TestCase("AgentApi.Infrastructure")]
    [TestCase("AgentApi.Web")]
    public void Core_References_NoFrameworkOrOuterLayer(string forbiddenPrefix)
    {
        Assert.That(References(Core), Has.None.StartsWith(forbiddenPrefix));
    }

    [TestCase("Refit")]
    [TestCase("Polly")]
    [TestCase("System.Net.Http")]
    public void Web_References_NoProviderHttpStack(string forbidden)
    {
        Assert.That(References(Web), Has.None.EqualTo(forbidden).And.None.StartsWith(forbidden + "."));
    }

    [Test]
    public void Infrastructure_Implementations_AreInternal()
    {
        var publicClasses = Infrastructure.GetExportedTypes()
            .Where(t => t.IsClass && !t.IsAbstract && !t.Name.EndsWith("Options", StringComparison.Ordinal))
            .Select(t => t.FullName)
            .ToList();

        Assert.That(publicClasses, Is.Empty, "Infrastructure exposes only options, constants and its DI extension");
    }
}
