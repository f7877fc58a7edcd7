using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Responses;

/// <summary>
/// Stored responses over two replicas and one <c>redis-server</c>: a conversation started on one replica continues,
/// is retrieved and is deleted on the other. Ignored only when <c>redis-server</c> is not installed.
/// </summary>
[TestFixture]
public sealed class SharedResponsesTests : TwoReplicasFixture
{
    protected override void Configure(Dictionary<string, string?> settings, int replica) => settings["REDIS_URL"] = Redis.Url;

    [Test]
    public async Task PreviousResponseId_OnTheOtherReplica_ContinuesTheConversationFromRedis()
    {
        var fact = Queries.Unique("The launch code is 4242.");
        var first = await CreateAsync(First, new JsonObject { ["model"] = "agentapi", ["input"] = fact });

        var second = await CreateAsync(Second, new JsonObject { ["model"] = "agentapi", ["input"] = "What is the launch code?", ["previous_response_id"] = first });

        var messages = JsonDocument.Parse(Second.OpenAI.Requests.Single(r => r.Method == "POST").Body).RootElement.GetProperty("messages");
        Assert.Multiple(() =>
        {
            Assert.That(second, Does.StartWith("resp_"));
            Assert.That(messages[1].GetProperty("content").GetString(), Is.EqualTo(fact), "the first replica's turn reached the second's executor");
            Assert.That(messages.EnumerateArray().Last().GetProperty("content").GetString(), Does.StartWith("Focused: What is the launch code?"));
        });
    }

    [Test]
    public async Task Delete_OnTheOtherReplica_GoneOnBoth()
    {
        var id = await CreateAsync(First, new JsonObject { ["model"] = "agentapi", ["input"] = Queries.Unique("Short-lived") });

        using var retrieved = await Second.Client.GetAsync($"/v1/responses/{id}");
        using var deleted = await Second.Client.DeleteAsync($"/v1/responses/{id}");
        using var afterOnFirst = await First.Client.GetAsync($"/v1/responses/{id}");
        using var afterOnSecond = await Second.Client.GetAsync($"/v1/responses/{id}");

        Assert.Multiple(() =>
        {
            Assert.That(retrieved.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(afterOnFirst.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "no replica keeps a copy of its own");
            Assert.That(afterOnSecond.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    private static async Task<string> CreateAsync(AgentApiHost host, JsonObject body)
    {
        using var response = await host.Client.PostAsync("/v1/responses", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var json = await AgentApiHost.JsonAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), json.ToString());
        return json.GetProperty("id").GetString()!;
    }
}
