using System.Net;
using System.Text;
using AgentApi.Core.Providers;
using AgentApi.Infrastructure.Providers;
using AgentApi.Infrastructure.Providers.Gemini;
using AgentApi.Infrastructure.Providers.OpenAI;
using AgentApi.Infrastructure.Providers.Resilience;
using AgentApi.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Refit;

namespace AgentApi.Tests.Unit;

/// <summary>A request's own model (a route's) goes to the provider instead of the channel's, through a real Refit client over a stub handler.</summary>
[TestFixture]
public sealed class PerRequestModelTests
{
    [TestCase(null, "gpt-4o-mini")]
    [TestCase("gpt-4o", "gpt-4o")]
    public void OpenAIBuildRequest_RequestModel_IsTheModelSent(string? requested, string sent)
    {
        var channel = Channel(ProviderProtocol.OpenAI, "https://api.openai.com/v1", "gpt-4o-mini");

        Assert.That(OpenAIChatModel.BuildRequest(channel, new ChatRequest("Hello", Model: requested)).Model, Is.EqualTo(sent));
    }

    [Test]
    public async Task GeminiCompleteAsync_RequestModel_PostsToThatModelsPathAndReportsIt()
    {
        var stub = new StubHandler("""{"candidates":[{"content":{"role":"model","parts":[{"text":"hi"}]},"finishReason":"STOP"}]}""");
        var channel = Channel(ProviderProtocol.Gemini, "https://gemini.test/v1beta/", "gemma-3-1b-it");
        using var http = new HttpClient(stub) { BaseAddress = channel.BaseUrl };
        var api = RestService.ForGenerated<IGeminiApi>(http, new RefitSettings(new SystemTextJsonContentSerializer(GeminiJsonContext.Default.Options)));
        var policies = new ProviderPolicies(Options.Create(new ResilienceOptions()), TimeProvider.System, NullLogger<ProviderPolicies>.Instance, TestMetrics.Create());
        var model = new GeminiChatModel(api, http, channel, policies, NullLogger<GeminiChatModel>.Instance);

        var completion = await model.CompleteAsync(new ChatRequest("Hello", SystemInstruction: "Be brief.", Model: "gemini-2.5-flash"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(stub.Path, Is.EqualTo("/v1beta/models/gemini-2.5-flash:generateContent"));
            Assert.That(stub.Body, Does.Contain("systemInstruction"), "a Gemini model takes a system instruction; the channel's Gemma would not");
            Assert.That(completion.Model, Is.EqualTo("gemini-2.5-flash"), "no modelVersion in the answer: the model called");
        });
    }

    // The orchestrator's channel: its call is buffered (generateContent); the executor's is streamed (GeminiChatModelTests).
    private static ProviderChannel Channel(string protocol, string baseUrl, string model) =>
        new("orchestrator", protocol, new Uri(baseUrl), "key", model, null, TimeSpan.FromSeconds(30));

    private sealed class StubHandler(string body) : HttpMessageHandler
    {
        public string? Path { get; private set; }

        public string? Body { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Path = request.RequestUri?.AbsolutePath;
            Body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        }
    }
}
