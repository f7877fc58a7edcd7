using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentApi.Tests.Support;

// The SDK marks its Responses API types as for evaluation (OPENAI001): the API is OpenAI's, AgentApi serves it.
#pragma warning disable OPENAI001

namespace AgentApi.Tests.Responses;

/// <summary>
/// Stored responses belong to the caller key that made them: to any other key, a response id is a 404 exactly as an
/// unknown one (same status, body and code but for the id), on every way in to it.
/// </summary>
[TestFixture]
public sealed class ResponsesCallerTests : HostedFixture
{
    protected override void Configure(Dictionary<string, string?> settings) => settings["AGENTAPI_API_KEYS"] = Callers.KeyA + "," + Callers.KeyB;

    [Test]
    public async Task GetResponse_AnotherCallersId_404AsAnUnknownId()
    {
        var created = (await OpenAISdk.Responses(Host, Callers.KeyA).CreateResponseAsync("agentapi", Queries.Unique("Mine only"))).Value;

        var other = Assert.ThrowsAsync<ClientResultException>(() => OpenAISdk.Responses(Host, Callers.KeyB).GetResponseAsync(created.Id));
        var own = (await OpenAISdk.Responses(Host, Callers.KeyA).GetResponseAsync(created.Id)).Value;

        Assert.Multiple(() =>
        {
            Assert.That(other!.Status, Is.EqualTo(404));
            Assert.That(own.Id, Is.EqualTo(created.Id));
        });
    }

    [TestCase("GET", "")]
    [TestCase("DELETE", "")]
    [TestCase("GET", "/input_items")]
    [TestCase("POST", "/cancel")]
    public async Task AnyWayIn_AnotherCallersId_SameAnswerAsAnUnknownId(string method, string suffix)
    {
        var id = await CreateAsync(Callers.KeyA);
        const string unknown = "resp_0123456789abcdef0123456789abcdef";

        var (otherStatus, otherError) = await SendAsync(method, $"/v1/responses/{id}{suffix}", Callers.KeyB);
        var (unknownStatus, unknownError) = await SendAsync(method, $"/v1/responses/{unknown}{suffix}", Callers.KeyB);
        var (ownStatus, _) = await SendAsync("GET", $"/v1/responses/{id}", Callers.KeyA);

        Assert.Multiple(() =>
        {
            Assert.That(otherStatus, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(unknownStatus, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(otherError.Replace(id, "ID", StringComparison.Ordinal), Is.EqualTo(unknownError.Replace(unknown, "ID", StringComparison.Ordinal)));
            Assert.That(ownStatus, Is.EqualTo(HttpStatusCode.OK), "another caller's delete deleted nothing");
        });
    }

    [Test]
    public async Task Create_AnotherCallersResponseAsPreviousOrReferenced_RefusedAsUnknown()
    {
        var id = await CreateAsync(Callers.KeyA);
        using var ownResponse = await Host.Client.SendAsync(Request(HttpMethod.Get, $"/v1/responses/{id}", Callers.KeyA));
        var outputId = (await AgentApiHost.JsonAsync(ownResponse)).GetProperty("output")[0].GetProperty("id").GetString();

        var continued = await PostAsync(Callers.KeyB, new JsonObject { ["model"] = "agentapi", ["input"] = "Go on", ["previous_response_id"] = id });
        var referenced = await PostAsync(Callers.KeyB, new JsonObject
        {
            ["model"] = "agentapi",
            ["input"] = new JsonArray(new JsonObject { ["type"] = "item_reference", ["id"] = outputId }, new JsonObject { ["role"] = "user", ["content"] = "Go on" }),
        });

        Assert.Multiple(() =>
        {
            Assert.That(continued.Status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(continued.Error.GetProperty("code").GetString(), Is.EqualTo("previous_response_not_found"));
            Assert.That(referenced.Status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(referenced.Error.GetProperty("code").GetString(), Is.EqualTo("item_not_found"));
            Assert.That(Host.OpenAI.CallCount, Is.Zero, "nothing of the other caller's reached a provider");
        });
    }

    private async Task<string> CreateAsync(string key)
    {
        var (status, body) = await PostAsync(key, new JsonObject { ["model"] = "agentapi", ["input"] = Queries.Unique("Mine only") });
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Host.ResetFakes();
        return body.GetProperty("id").GetString()!;
    }

    private async Task<(HttpStatusCode Status, JsonElement Error)> PostAsync(string key, JsonObject body)
    {
        using var request = Request(HttpMethod.Post, "/v1/responses", key);
        request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await Host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(text, Does.StartWith("{"), $"{(int)response.StatusCode}: {text}");
        var json = JsonDocument.Parse(text).RootElement.Clone();
        return (response.StatusCode, json.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object ? error : json);
    }

    private async Task<(HttpStatusCode Status, string Error)> SendAsync(string method, string path, string key)
    {
        using var response = await Host.Client.SendAsync(Request(new HttpMethod(method), path, key));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string key) =>
        new(method, path) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", key) } };
}
