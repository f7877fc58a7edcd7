using AgentApi.Core.Ask;
using AgentApi.Core.Caching;
using AgentApi.Core.Routing;
using AgentApi.Tests.Support;
using Moq;

namespace AgentApi.Tests.Unit;

[TestFixture]
public sealed class RouteTableTests
{
    private static readonly RouteDefinition General = new("general", "Anything else.", "Help.", IsDefault: true);
    private static readonly RouteDefinition Coding = new("coding", "Code.", "Write code.", Model: "gpt-4o", MaxOutputTokens: 3000, Temperature: 0.2);

    private static RouteTable Table(params RouteDefinition[] routes) => RouteTable.Create(routes, "test");

    [TestCase("coding", "coding")]
    [TestCase(" Coding ", "coding")]
    [TestCase("\"coding\"", "coding")]
    [TestCase("astrology", "general")]
    [TestCase("", "general")]
    [TestCase(null, "general")]
    public void Select_Choice_FindsTheRouteOrTheDefault(string? choice, string expected)
    {
        Assert.That(Table(General, Coding).Select(choice).Name, Is.EqualTo(expected));
    }

    [Test]
    public void Select_SeparatorsAndCaseDiffer_FindsTheRoute()
    {
        var table = Table(General, new RouteDefinition("small-talk", "Chit-chat.", "Be brief."));

        Assert.Multiple(() =>
        {
            Assert.That(table.Select("Small_Talk").Name, Is.EqualTo("small-talk"));
            Assert.That(table.Select("smalltalk").Name, Is.EqualTo("small-talk"));
            Assert.That(table.Select("small talk").Name, Is.EqualTo("small-talk"));
        });
    }

    [Test]
    public void BuiltIn_Always_HasTodaysFiveRoutesWithGeneralAsDefault()
    {
        var table = BuiltInRoutes.Table;

        Assert.Multiple(() =>
        {
            Assert.That(string.Join(',', table.Routes.Select(r => r.Name)), Is.EqualTo("general,coding,math,writing,analysis"));
            Assert.That(table.Default.Name, Is.EqualTo("general"));
            Assert.That(table.Routes.Select(r => r.Model), Is.All.Null, "every built-in route uses the executor's configured model");
            Assert.That(RouteTableLoader.Load(null, "ROUTES_FILE"), Is.SameAs(table));
        });
    }

    [Test]
    public void Hash_SameContentParsedTwice_IsTheSame()
    {
        var compact = RouteTableLoader.Parse("""{"routes":[{"name":"general","default":true,"description":"Anything else.","instructions":"Help."}]}""", "a");
        var spaced = RouteTableLoader.Parse("""
            { "routes": [
                // the same route, laid out differently
                { "instructions": "Help.", "description": "Anything else.", "name": "general", "default": true, "model": null },
            ] }
            """, "b");

        Assert.That(spaced.Hash, Is.EqualTo(compact.Hash));
    }

    [TestCaseSource(nameof(Edits))]
    public void Hash_AnyFieldEdited_Changes(RouteDefinition edited)
    {
        Assert.That(Table(General, edited).Hash, Is.Not.EqualTo(Table(General, Coding).Hash));
    }

    [Test]
    public void Hash_RoutesReordered_Changes()
    {
        Assert.That(Table(Coding, General).Hash, Is.Not.EqualTo(Table(General, Coding).Hash), "the orchestrator's prompt lists them in order");
    }

    [Test]
    public async Task AskAsync_RouteTableEdited_UsesAnotherCacheKey()
    {
        var before = await CacheKeyOfAsync(Table(General, Coding));
        var again = await CacheKeyOfAsync(Table(General, Coding));
        var after = await CacheKeyOfAsync(Table(General, Coding with { Instructions = "Write better code." }));

        Assert.Multiple(() =>
        {
            Assert.That(again, Is.EqualTo(before));
            Assert.That(after, Is.Not.EqualTo(before));
        });
    }

    private static IEnumerable<RouteDefinition> Edits()
    {
        yield return Coding with { Name = "code" };
        yield return Coding with { Description = "Programs." };
        yield return Coding with { Instructions = "Write better code." };
        yield return Coding with { Model = "gpt-4.1" };
        yield return Coding with { Model = null };
        yield return Coding with { MaxOutputTokens = 3001 };
        yield return Coding with { Temperature = 0.3 };
    }

    private static async Task<string> CacheKeyOfAsync(RouteTable routes)
    {
        string? key = null;
        var cache = new Mock<IAnswerCache>(MockBehavior.Strict);
        var stored = new AskAnswer("a", "general", "p", false, null, false,
            StepResult.Skipped(CoreMocks.Orchestrator().Object.Info), StepResult.Skipped(CoreMocks.Executor().Object.Info));
        cache.Setup(c => c.GetOrCreateAsync(It.IsAny<string>(), It.IsAny<Func<CancellationToken, ValueTask<AskAnswer>>>(), It.IsAny<CacheMode>(), It.IsAny<CancellationToken>()))
            .Callback((string k, Func<CancellationToken, ValueTask<AskAnswer>> _, CacheMode _, CancellationToken _) => key = k)
            .ReturnsAsync(new CacheLookup(stored, CacheSource.Hit));
        var service = CoreMocks.AskService(CoreMocks.Orchestrator().Object, CoreMocks.Executor().Object, cache.Object, routes: routes);

        await service.AskAsync(new AskQuery("the same question"), CancellationToken.None);
        return key!;
    }
}
