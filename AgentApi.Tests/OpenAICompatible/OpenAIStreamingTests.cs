using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentApi.Tests.Fakes;
using AgentApi.Tests.Support;
using Microsoft.Extensions.AI;
using OpenAI.Chat;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AIChatRole = Microsoft.Extensions.AI.ChatRole;
using OpenAIChatFinishReason = OpenAI.Chat.ChatFinishReason;

namespace AgentApi.Tests.OpenAICompatible;

/// <summary><c>stream: true</c> through the official OpenAI .NET SDK and IChatClient, and on the wire.</summary>
[TestFixture]
public sealed class OpenAIStreamingTests : HostedFixture
{
    [Test]
    public async Task CompleteChatStreaming_OpenAISdk_StreamsTheAnswerWithFinishReasonAndUsage()
    {
        var question = Queries.Unique("Tell me about streams");
        Host.OpenAI.Enqueue(FakeResponse.Streamed(FakeStreaming.Normal));

        var updates = new List<StreamingChatCompletionUpdate>();
        await foreach (var update in OpenAISdk.Chat(Host).CompleteChatStreamingAsync(new UserChatMessage(question)))
        {
            updates.Add(update);
        }

        var text = string.Concat(updates.SelectMany(update => update.ContentUpdate).Select(part => part.Text));
        var usage = updates.Single(update => update.Usage is not null).Usage;
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.StartWith("echo: Focused: " + question));
            Assert.That(updates.Count(update => update.ContentUpdate.Count > 0), Is.GreaterThan(1), "the answer comes in several deltas");
            Assert.That(updates.Select(update => update.CompletionId).Distinct(), Is.EqualTo((string[])[updates[0].CompletionId]));
            Assert.That(updates[0].CompletionId, Does.StartWith("chatcmpl-"));
            Assert.That(updates[0].Role, Is.EqualTo(ChatMessageRole.Assistant));
            Assert.That(updates.Single(update => update.FinishReason is not null).FinishReason, Is.EqualTo(OpenAIChatFinishReason.Stop));
            Assert.That(updates.Select(update => update.Model), Is.All.EqualTo("agentapi"));
            Assert.That(usage.TotalTokenCount, Is.EqualTo(usage.InputTokenCount + usage.OutputTokenCount).And.GreaterThan(0));
        });
    }

    [Test]
    public async Task GetStreamingResponse_IChatClientThreeTurns_StreamsAnAnswerThatSawTheHistory()
    {
        var first = Queries.Unique("How do I reverse a list in C#?");
        IChatClient chat = OpenAISdk.Chat(Host).AsIChatClient();
        List<AIChatMessage> messages = [new(AIChatRole.User, first), new(AIChatRole.Assistant, "Call list.Reverse()."), new(AIChatRole.User, "and in Python?")];

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in chat.GetStreamingResponseAsync(messages))
        {
            updates.Add(update);
        }

        var response = updates.ToChatResponse();
        using var sent = JsonDocument.Parse(Host.OpenAI.Requests.Single(r => r.Method == "POST").Body);
        Assert.Multiple(() =>
        {
            Assert.That(response.Text, Does.StartWith("echo: Focused: and in Python?"));
            Assert.That(response.Usage?.TotalTokenCount, Is.GreaterThan(0));
            Assert.That(sent.RootElement.GetProperty("stream").GetBoolean(), Is.True, "the executor streams too");
            Assert.That(sent.RootElement.GetProperty("messages").GetArrayLength(), Is.EqualTo(4));
        });
    }

    [Test]
    public async Task ChatCompletions_StreamOnTheWire_IsOpenAIChunksThenDone()
    {
        using var response = await Host.Client.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "agentapi",
            messages = new[] { new { role = "user", content = Queries.Unique("Wire format") } },
            stream = true,
            stream_options = new { include_usage = true },
        });

        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Where(e => e.StartsWith("data: ", StringComparison.Ordinal)).Select(e => e["data: ".Length..]).ToList();
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/event-stream"));
        Assert.That(events[^1], Is.EqualTo("[DONE]"));
        var chunks = events.SkipLast(1).Select(e => JsonDocument.Parse(e).RootElement).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(chunks.Select(c => c.GetProperty("object").GetString()), Is.All.EqualTo("chat.completion.chunk"));
            Assert.That(chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString(), Is.EqualTo("assistant"));
            Assert.That(chunks[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString(), Is.EqualTo("stop"));
            Assert.That(chunks[^1].GetProperty("choices").GetArrayLength(), Is.Zero);
            Assert.That(chunks[^1].GetProperty("usage").GetProperty("total_tokens").GetInt32(), Is.GreaterThan(0));
            Assert.That(chunks.SkipLast(1).Select(c => c.GetProperty("usage").ValueKind), Is.All.EqualTo(JsonValueKind.Null));
            Assert.That(response.Headers.GetValues("x-agentapi-route").Single(), Is.EqualTo("general"));
            Assert.That(response.Headers.GetValues("x-agentapi-cache").Single(), Is.EqualTo("miss"));
        });
    }

    [Test]
    public async Task ChatCompletions_StreamedTwice_SecondIsReplayedFromTheCache()
    {
        var body = new { model = "agentapi", messages = new[] { new { role = "user", content = Queries.Unique("Cache me") } }, stream = true };

        using var first = await Host.Client.PostAsJsonAsync("/v1/chat/completions", body);
        await first.Content.ReadAsStringAsync();
        using var second = await Host.Client.PostAsJsonAsync("/v1/chat/completions", body);
        var text = await second.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(second.Headers.GetValues("x-agentapi-cache").Single(), Is.EqualTo("hit"));
            Assert.That(text, Does.EndWith("data: [DONE]\n\n"));
            Assert.That(Host.OpenAI.CallCount, Is.EqualTo(1));
        });
    }

    [Test]
    public void CompleteChatStreaming_ExecutorFailsMidStream_RaisesInTheSdk()
    {
        Host.OpenAI.Enqueue(FakeResponse.Streamed(new FakeStreaming { ErrorAfter = 3 }));
        var received = new List<string>();

        var ex = Assert.CatchAsync(async () =>
        {
            await foreach (var update in OpenAISdk.Chat(Host).CompleteChatStreamingAsync(new UserChatMessage(Queries.Unique("Fail midway"))))
            {
                received.AddRange(update.ContentUpdate.Select(part => part.Text));
            }
        });

        // The .NET SDK skips an in-band error event; it raises because the body never ends cleanly.
        Assert.Multiple(() =>
        {
            Assert.That(ex, Is.InstanceOf<IOException>().Or.InstanceOf<HttpRequestException>(), ex?.ToString());
            Assert.That(received, Is.Not.Empty, "the failure came after the first text");
        });
    }

    [Test]
    public async Task ChatCompletions_ExecutorFailsMidStream_SendsAnOpenAIErrorEventAndNoDone()
    {
        Host.OpenAI.Enqueue(FakeResponse.Streamed(new FakeStreaming { ErrorAfter = 3 }));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new
            {
                model = "agentapi",
                messages = new[] { new { role = "user", content = Queries.Unique("Fail midway on the wire") } },
                stream = true,
            }),
        };
        using var response = await Host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var lines = new List<string>();
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                lines.Add(line);
            }
        }
        catch (Exception ex) when (ex is HttpIOException or IOException or HttpRequestException)
        {
            // The connection is closed after the error event: the body never ends cleanly.
        }

        var data = lines.Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l["data: ".Length..]).ToList();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(data, Does.Not.Contain("[DONE]"));
        using var error = JsonDocument.Parse(data[^1]);
        Assert.Multiple(() =>
        {
            Assert.That(error.RootElement.GetProperty("error").GetProperty("type").GetString(), Is.EqualTo("server_error"));
            Assert.That(error.RootElement.GetProperty("error").GetProperty("code").GetString(), Is.EqualTo("provider_error"));
        });
    }

    [Test]
    public async Task ChatCompletions_StreamFailsBeforeTheFirstText_AnswersAnOrdinaryOpenAIError()
    {
        var serverError = FakeOpenAIServer.ServerError();
        Host.OpenAI.Enqueue(serverError, serverError, serverError);

        using var response = await Host.Client.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "agentapi",
            messages = new[] { new { role = "user", content = Queries.Unique("Fail early") } },
            stream = true,
        });

        var body = await AgentApiHost.JsonAsync(response);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
            Assert.That(body.GetProperty("error").GetProperty("code").GetString(), Is.EqualTo("provider_error"));
        });
    }
}
