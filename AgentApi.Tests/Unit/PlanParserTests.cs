using AgentApi.Core.Orchestration;

namespace AgentApi.Tests.Unit;

[TestFixture]
public sealed class PlanParserTests
{
    [TestCase("""{"route": "coding", "prompt": "Write a C# sort."}""", "coding", "Write a C# sort.")]
    [TestCase("```json\n{\"route\": \"math\", \"prompt\": \"Solve x^2=4.\"}\n```", "math", "Solve x^2=4.")]
    [TestCase("Here is the plan:\n{\"Route\": \" Writing \", \"Prompt\": \"A poem.\",}\nHope it helps!", "Writing", "A poem.")]
    [TestCase("""{"route": "astrology", "prompt": "Explain Mars."}""", "astrology", "Explain Mars.")]
    [TestCase("""{"category": "code", "focused_prompt": "Refactor."}""", "code", "Refactor.")]
    [TestCase("Route: small-talk2\nPrompt: Say hi.", "small-talk2", "Say hi.")]
    [TestCase("Route: analysis\nPrompt: Compare A and B.", "analysis", "Compare A and B.")]
    [TestCase("**route**: math\n**prompt**: \"Add 2 and 2.\"", "math", "Add 2 and 2.")]
    public void TryParse_ShapesASmallModelProduces_ReadsThePlanWithTheRouteAsWritten(string text, string route, string prompt)
    {
        var plan = PlanParser.TryParse(text);

        Assert.That(plan, Is.EqualTo(new OrchestrationPlan(route, prompt)));
    }

    [Test]
    public void TryParse_NoRoute_ReadsThePlanWithoutOne()
    {
        Assert.That(PlanParser.TryParse("""{"prompt": "Explain Mars."}"""), Is.EqualTo(new OrchestrationPlan(null, "Explain Mars.")));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("I think the user wants to know about the weather.")]
    [TestCase("""{"route": "general"}""")]
    [TestCase("""{"route": "general", "prompt": "   "}""")]
    [TestCase("""{"route": "general", "prompt": 42}""")]
    [TestCase("""{"route": "general", "prompt": "unterminated""")]
    [TestCase("[1, 2, 3]")]
    public void TryParse_NoUsablePrompt_ReturnsNull(string? text)
    {
        Assert.That(PlanParser.TryParse(text), Is.Null);
    }

    [Test]
    public void TryParse_PromptLongerThanLimit_ReturnsNull()
    {
        var text = $$"""{"route":"general","prompt":"{{new string('x', PlanParser.MaxPromptLength + 1)}}"}""";

        Assert.That(PlanParser.TryParse(text), Is.Null);
    }
}
