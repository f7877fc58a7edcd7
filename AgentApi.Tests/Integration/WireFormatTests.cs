using System.Net;
using System.Net.Http.Json;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Integration;

/// <summary>Every door writes JSON the same way, and every problem with one <c>Content-Type</c>.</summary>
[TestFixture]
public sealed class WireFormatTests : HostedFixture
{
    private const string Quoted = "It's <b>\"bold\"</b> & more";

    [Test]
    public async Task AnyDoor_AnswerWithQuotesAndAngleBrackets_IsEscapedOnlyAsJsonRequires()
    {
        var question = Queries.Unique(Quoted);
        using var ask = await Host.AskAsync(new { query = question });
        using var completion = await Host.Client.PostAsJsonAsync("/v1/chat/completions", new { model = "agentapi-direct", messages = new[] { new { role = "user", content = question } } });
        var askText = await ask.Content.ReadAsStringAsync();
        var completionText = await completion.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            foreach (var (door, text) in new[] { ("/api/ask", askText), ("/v1", completionText) })
            {
                Assert.That(text, Does.Contain("It's <b>\\\"bold\\\"</b> & more"), door);
                Assert.That(text, Does.Not.Contain("\\u0027").And.Not.Contain("\\u003C").And.Not.Contain("\\u0022"), door);
            }
        });
    }

    [Test]
    public async Task AnyProblem_ValidationNotFoundUnsupportedProviderFailure_HaveOneContentType()
    {
        using var invalid = await Host.AskAsync(new { query = " " });
        using var notFound = await Host.Client.GetAsync(new Uri("/nowhere", UriKind.Relative));
        using var unsupported = await Host.Client.PostAsync(new Uri("/api/ask", UriKind.Relative), new StringContent("query=x"));
        Host.OpenAI.Enqueue(Fakes.FakeOpenAIServer.ServerError(), Fakes.FakeOpenAIServer.ServerError(), Fakes.FakeOpenAIServer.ServerError());
        using var providerFailed = await Host.AskAsync(new { query = Queries.Unique("Fail") });

        Assert.Multiple(() =>
        {
            Assert.That(invalid.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((int)providerFailed.StatusCode, Is.EqualTo(502), "written inside the action, by the ask pipeline");
            foreach (var response in new[] { invalid, notFound, unsupported, providerFailed })
            {
                Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo("application/problem+json"), response.StatusCode.ToString());
            }
        });
    }

    [Test]
    public async Task Stream_FailsBeforeItStartsForAClientThatAcceptsOnlyEventStreams_StillGetsTheProblemBody()
    {
        Host.OpenAI.Enqueue(Fakes.FakeOpenAIServer.ServerError(), Fakes.FakeOpenAIServer.ServerError(), Fakes.FakeOpenAIServer.ServerError());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/ask/stream") { Content = JsonContent.Create(new { query = Queries.Unique("Fail early") }) };
        request.Headers.Accept.ParseAdd("text/event-stream");

        using var response = await Host.Client.SendAsync(request);
        var body = await AgentApiHost.JsonAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(502));
            Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("urn:agentapi:problem:provider-error"));
            Assert.That(body.GetProperty("requestId").GetString(), Is.Not.Empty);
        });
    }

    [Test]
    public async Task ChatCompletions_BodyStartingWithAUtf8ByteOrderMark_IsReadLikeAskReadsIt()
    {
        var json = System.Text.Encoding.UTF8.GetBytes($$"""{"model":"agentapi-direct","messages":[{"role":"user","content":"{{Queries.Unique("BOM")}}"}]}""");
        using var content = new ByteArrayContent([0xEF, 0xBB, 0xBF, .. json]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await Host.Client.PostAsync(new Uri("/v1/chat/completions", UriKind.Relative), content);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task ChatCompletions_EndUserIdOver256Characters_Answers400NamingIt()
    {
        using var response = await Host.Client.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "agentapi",
            messages = new[] { new { role = "user", content = "hi" } },
            user = new string('u', 257),
        });
        var body = await AgentApiHost.JsonAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(body.GetProperty("error").GetProperty("param").GetString(), Is.EqualTo("user"));
            Assert.That(Host.OpenAI.CallCount + Host.Gemini.CallCount, Is.Zero);
        });
    }
}
