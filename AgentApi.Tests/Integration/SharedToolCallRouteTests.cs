using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Integration;

/// <summary>
/// Decision record 0013 over two replicas and one <c>redis-server</c>: the turn that brings a tool's result continues on
/// the route that made the call even when another replica answers it. Ignored only when <c>redis-server</c> is not installed.
/// </summary>
[TestFixture]
public sealed class SharedToolCallRouteTests : TwoReplicasFixture
{
    private static readonly JsonNode Tools = JsonNode.Parse("""[{"type":"function","function":{"name":"run_tests","description":"Runs the test suite"}}]""")!;

    protected override void Configure(Dictionary<string, string?> settings, int replica) => settings["REDIS_URL"] = Redis.Url;

    [Test]
    public async Task ToolResult_OnTheOtherReplica_ContinuesOnTheRouteThatMadeTheCallWithoutTheOrchestrator()
    {
        First.Gemini.Reply = prompt => Plans.Json("coding", "Focused: " + Plans.QueryIn(prompt));
        var question = new JsonObject { ["role"] = "user", ["content"] = $"Run my tests ({Guid.NewGuid():N})" };
        using var first = await PostAsync(First, new JsonArray(question.DeepClone()));
        var called = JsonNode.Parse(await first.Content.ReadAsStringAsync())!["choices"]![0]!["message"]!;
        var callId = (string)called["tool_calls"]![0]!["id"]!;

        using var second = await PostAsync(Second, new JsonArray(
            question.DeepClone(),
            called.DeepClone(),
            new JsonObject { ["role"] = "tool", ["tool_call_id"] = callId, ["content"] = "12 passed, 0 failed" }));

        Assert.Multiple(() =>
        {
            Assert.That(first.Headers.GetValues("x-agentapi-route").Single(), Is.EqualTo("coding"));
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(second.Headers.GetValues("x-agentapi-route").Single(), Is.EqualTo("coding"), "found in Redis by the call's id");
            Assert.That(second.Headers.GetValues("x-agentapi-fallback").Single(), Is.EqualTo("false"));
            Assert.That(Second.Gemini.CallCount, Is.Zero, "no orchestrator call on the replica that got the result");
            Assert.That(Second.OpenAI.CallCount, Is.EqualTo(1));
        });
    }

    private static Task<HttpResponseMessage> PostAsync(AgentApiHost host, JsonArray messages) =>
        host.Client.PostAsync(
            "/v1/chat/completions",
            new StringContent(new JsonObject { ["model"] = "agentapi", ["messages"] = messages, ["tools"] = Tools.DeepClone() }.ToJsonString(), Encoding.UTF8, "application/json"));
}
