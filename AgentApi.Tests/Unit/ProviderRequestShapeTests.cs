using System.Text.Json;
using AgentApi.Core.Providers;
using AgentApi.Infrastructure.Providers;
using AgentApi.Infrastructure.Providers.Gemini;
using AgentApi.Infrastructure.Providers.OpenAI;

namespace AgentApi.Tests.Unit;

[TestFixture]
public sealed class ProviderRequestShapeTests
{
    private static readonly ChatRequest Request = new("Hello", SystemInstruction: "Be brief.", MaxOutputTokens: 64, Temperature: 0.2);

    [Test]
    public void GeminiBuildRequest_GemmaModel_FoldsSystemIntoUserTurnAndOmitsSystemInstruction()
    {
        var json = JsonSerializer.Serialize(GeminiRequests.Build("gemma-3-1b-it", Request), GeminiJsonContext.Default.GenerateContentRequest);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;

        Assert.Multiple(() =>
        {
            Assert.That(root.TryGetProperty("systemInstruction", out _), Is.False, "Gemma rejects systemInstruction even when empty");
            Assert.That(root.GetProperty("contents")[0].GetProperty("role").GetString(), Is.EqualTo("user"));
            Assert.That(root.GetProperty("contents")[0].GetProperty("parts")[0].GetProperty("text").GetString(), Is.EqualTo("Be brief.\n\nHello"));
            Assert.That(root.GetProperty("generationConfig").GetProperty("maxOutputTokens").GetInt32(), Is.EqualTo(64));
            Assert.That(root.GetProperty("generationConfig").TryGetProperty("responseMimeType", out _), Is.False);
        });
    }

    [Test]
    public void GeminiBuildRequest_GeminiModel_UsesSystemInstruction()
    {
        var request = GeminiRequests.Build("models/gemini-2.5-flash", Request);

        Assert.Multiple(() =>
        {
            Assert.That(request.SystemInstruction?.Parts?[0].Text, Is.EqualTo("Be brief."));
            Assert.That(request.Contents[0].Parts?[0].Text, Is.EqualTo("Hello"));
            Assert.That(GeminiRequests.ModelPath("models/gemini-2.5-flash"), Is.EqualTo("gemini-2.5-flash"));
        });
    }

    [TestCase("STOP", FinishReason.Stop)]
    [TestCase("MAX_TOKENS", FinishReason.Length)]
    [TestCase("SAFETY", FinishReason.ContentFilter)]
    [TestCase("PROHIBITED_CONTENT", FinishReason.ContentFilter)]
    [TestCase("SOMETHING_NEW", FinishReason.Other)]
    public void GeminiMapFinishReason_KnownAndUnknown_Normalises(string reason, FinishReason expected)
    {
        Assert.That(GeminiAnswer.MapFinishReason(reason), Is.EqualTo(expected));
    }

    [TestCase("https://api.openai.com/v1", "max_completion_tokens", "max_tokens")]
    [TestCase("http://localhost:11434/v1", "max_tokens", "max_completion_tokens")]
    public void OpenAIBuildRequest_ByHost_SendsTheOutputLimitFieldTheServerReads(string baseUrl, string sent, string omitted)
    {
        var channel = new ProviderChannel("executor", ProviderProtocol.OpenAI, new Uri(baseUrl), "key", "gpt-4o-mini", null, TimeSpan.FromSeconds(30));

        var json = JsonSerializer.Serialize(OpenAIChatModel.BuildRequest(channel, Request), OpenAIJsonContext.Default.ChatCompletionRequest);
        using var document = JsonDocument.Parse(json);

        Assert.Multiple(() =>
        {
            Assert.That(document.RootElement.GetProperty(sent).GetInt32(), Is.EqualTo(64));
            Assert.That(document.RootElement.TryGetProperty(omitted, out _), Is.False);
            Assert.That(document.RootElement.GetProperty("messages")[0].GetProperty("role").GetString(), Is.EqualTo("system"));
        });
    }

    [Test]
    public void ProviderChannelToString_WithKey_NeverPrintsTheKey()
    {
        var channel = new ProviderChannel("executor", ProviderProtocol.OpenAI, new Uri("https://api.openai.com/v1"), "sk-secret-value", "gpt-4o-mini", null, TimeSpan.FromSeconds(30));

        Assert.That(channel.ToString(), Does.Not.Contain("sk-secret-value"));
    }

    [TestCase("""{"error":{"message":"bad","type":"invalid_request_error","param":null,"code":null}}""", "invalid_request_error: bad")]
    [TestCase("""[{"error":{"code":400,"message":"Developer instruction is not enabled","status":"INVALID_ARGUMENT"}}]""", "INVALID_ARGUMENT: Developer instruction is not enabled")]
    [TestCase("""{"object":"error","message":"too long","type":"BadRequestError","param":null,"code":400}""", "400: too long")]
    [TestCase("<html>502 Bad Gateway</html>", "<html>502 Bad Gateway</html>")]
    public void ProviderErrorBodyDescribe_EveryEnvelope_ReadsTheMessage(string body, string expected)
    {
        Assert.That(ProviderErrorBody.Describe(body, secret: null), Is.EqualTo(expected));
    }

    [Test]
    public void ProviderErrorBodyDescribe_BodyEchoesTheKey_MasksIt()
    {
        Assert.That(ProviderErrorBody.Describe("""{"error":{"message":"Incorrect API key provided: sk-abc123"}}""", "sk-abc123"), Does.Not.Contain("sk-abc123"));
    }
}
