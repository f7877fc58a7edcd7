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
    public async Task AnyProblem_ValidationUnauthorizedNotFoundUnsupported_HaveOneContentType()
    {
        using var invalid = await Host.AskAsync(new { query = " " });
        using var notFound = await Host.Client.GetAsync(new Uri("/nowhere", UriKind.Relative));
        using var unsupported = await Host.Client.PostAsync(new Uri("/api/ask", UriKind.Relative), new StringContent("query=x"));

        Assert.Multiple(() =>
        {
            Assert.That(invalid.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            foreach (var response in new[] { invalid, notFound, unsupported })
            {
                Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo("application/problem+json"), response.StatusCode.ToString());
            }
        });
    }
}
