using System.ClientModel;
using System.Text.Json;
using AgentApi.Tests.Support;
using OpenAI.Chat;

namespace AgentApi.Tests.OpenAICompatible;

/// <summary>Caller keys and limits on /v1: the SDK's api_key is the caller key, and refusals are OpenAI's errors.</summary>
[TestFixture]
public sealed class OpenAICallerKeyTests
{
    private AgentApiHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _host = await Callers.StartWithKeysAsync("RATE_LIMIT_PER_MINUTE", "0");

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [Test]
    public async Task CompleteChat_RightKey_Answers()
    {
        var result = await OpenAISdk.Chat(_host, apiKey: Callers.KeyA).CompleteChatAsync(new UserChatMessage(Queries.Unique("hello")));

        Assert.That(result.Value.Content.Single().Text, Does.StartWith("echo: "));
    }

    [Test]
    public void CompleteChat_WrongKey_RaisesTheSdksAuthenticationError()
    {
        var ex = Assert.ThrowsAsync<ClientResultException>(() =>
            OpenAISdk.Chat(_host, apiKey: "sk-wrong-key-0123456789abcdef").CompleteChatAsync(new UserChatMessage("hello")));

        Assert.That(ex!.Status, Is.EqualTo(401));
        using var body = JsonDocument.Parse(ex.GetRawResponse()!.Content.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(body.RootElement.GetProperty("error").GetProperty("code").GetString(), Is.EqualTo("invalid_api_key"));
            Assert.That(body.RootElement.GetProperty("error").GetProperty("type").GetString(), Is.EqualTo("invalid_request_error"));
            Assert.That(ex.GetRawResponse()!.Content.ToString(), Does.Not.Contain("sk-wrong-key"));
        });
    }

    [Test]
    public void GetModels_WrongKeyThroughIChatClientsSdk_Raises401()
    {
        var ex = Assert.ThrowsAsync<ClientResultException>(() => OpenAISdk.Models(_host, apiKey: "sk-wrong-key-0123456789abcdef").GetModelsAsync());

        Assert.That(ex!.Status, Is.EqualTo(401));
    }

    [Test]
    public async Task CompleteChat_OverThePerMinuteLimit_RaisesRateLimitExceededWithRetryAfter()
    {
        await using var host = await Callers.StartWithKeysAsync("RATE_LIMIT_PER_MINUTE", "3");
        var chat = OpenAISdk.Chat(host, apiKey: Callers.KeyB);
        ClientResultException? refused = null;
        for (var i = 0; i < 5 && refused is null; i++)
        {
            try
            {
                await chat.CompleteChatAsync(new UserChatMessage(Queries.Unique("count me")));
            }
            catch (ClientResultException ex)
            {
                refused = ex;
            }
        }

        Assert.That(refused, Is.Not.Null, "the fourth request in a minute is over the limit of 3");
        var response = refused!.GetRawResponse()!;
        using var body = JsonDocument.Parse(response.Content.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(refused.Status, Is.EqualTo(429));
            Assert.That(body.RootElement.GetProperty("error").GetProperty("code").GetString(), Is.EqualTo("rate_limit_exceeded"));
            Assert.That(response.Headers.TryGetValue("Retry-After", out var retryAfter) && int.Parse(retryAfter!, System.Globalization.CultureInfo.InvariantCulture) >= 1, Is.True);
        });
    }

    [Test]
    public async Task CompleteChat_TwoCallersSameQuestion_DoNotShareTheCachedAnswer()
    {
        var question = Queries.Unique("Whose answer is this?");

        var first = await OpenAISdk.Chat(_host, "agentapi-direct", Callers.KeyA).CompleteChatAsync(new UserChatMessage(question));
        var other = await OpenAISdk.Chat(_host, "agentapi-direct", Callers.KeyB).CompleteChatAsync(new UserChatMessage(question));
        var again = await OpenAISdk.Chat(_host, "agentapi-direct", Callers.KeyA).CompleteChatAsync(new UserChatMessage(question));

        Assert.Multiple(() =>
        {
            Assert.That(CacheHeader(first), Is.EqualTo("miss"));
            Assert.That(CacheHeader(other), Is.EqualTo("miss"), "caller keys scope the cache to each caller");
            Assert.That(CacheHeader(again), Is.EqualTo("hit"));
        });
    }

    private static string? CacheHeader(ClientResult result) =>
        result.GetRawResponse().Headers.TryGetValue("x-agentapi-cache", out var value) ? value : null;
}
