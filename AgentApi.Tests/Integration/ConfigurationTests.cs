using System.Net;
using AgentApi.Tests.Support;

namespace AgentApi.Tests.Integration;

[TestFixture]
public sealed class ConfigurationTests
{
    private const string SecretPart = "T3BlbkFJq8Zx";
    private const string Secret = "sk-proj-" + SecretPart;

    [Test]
    public async Task Start_WithoutOpenAIKey_RunsDegradedAndAnswers503NamingTheVariable()
    {
        await using var host = await AgentApiHost.StartAsync(settings => settings["OPENAI_API_KEY"] = "");

        using var health = await host.Client.GetAsync(new Uri("/healthz", UriKind.Relative));
        var healthBody = await AgentApiHost.JsonAsync(health);
        using var ask = await host.AskAsync(new { query = "Hello?" });
        var askBody = await AgentApiHost.JsonAsync(ask);

        Assert.Multiple(() =>
        {
            Assert.That(healthBody.GetProperty("status").GetString(), Is.EqualTo("degraded"));
            Assert.That(healthBody.GetProperty("providers")[1].GetProperty("missingSetting").GetString(), Is.EqualTo("OPENAI_API_KEY"));
            Assert.That(ask.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(askBody.GetProperty("type").GetString(), Is.EqualTo("urn:agentapi:problem:provider-not-configured"));
            Assert.That(askBody.GetProperty("setting").GetString(), Is.EqualTo("OPENAI_API_KEY"));
            Assert.That(string.Join(',', askBody.GetProperty("settings").EnumerateArray().Select(s => s.GetString())), Is.EqualTo("OPENAI_API_KEY"));
            Assert.That(askBody.GetProperty("detail").GetString(), Does.Contain("OPENAI_API_KEY"));
            Assert.That(host.OpenAI.CallCount + host.Gemini.CallCount, Is.Zero);
        });
    }

    [Test]
    public async Task Start_WithoutGemmaKeyOnGemini_Answers503NamingGemmaKey()
    {
        await using var host = await AgentApiHost.StartAsync(settings => settings["GEMMA_API_KEY"] = null);

        using var ask = await host.AskAsync(new { query = "Hello?" });
        var askBody = await AgentApiHost.JsonAsync(ask);

        Assert.Multiple(() =>
        {
            Assert.That(ask.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(askBody.GetProperty("setting").GetString(), Is.EqualTo("GEMMA_API_KEY"));
        });
    }

    [Test]
    public async Task Start_OrchestratorOnOpenAICompatibleServer_NeedsNoGemmaKey()
    {
        await using var ollamaLike = await Fakes.FakeOpenAIServer.StartAsync("ollama", "gemma3:1b");
        ollamaLike.Reply = Plans.EchoPlan;
        await using var second = await AgentApiHost.StartAsync(settings =>
        {
            settings["GEMMA_PROVIDER"] = "openai";
            settings["GEMMA_API_KEY"] = "ollama";
            settings["GEMMA_ORCHESTRATOR_MODEL"] = "gemma3:1b";
            settings["GEMMA_BASE_URL"] = ollamaLike.BaseUrl.ToString();
        });

        using var ask = await second.AskAsync(new { query = "Why is the sky blue?" });
        var body = await AgentApiHost.JsonAsync(ask);
        using var sent = System.Text.Json.JsonDocument.Parse(ollamaLike.Requests.Single(r => r.Method == "POST").Body);

        Assert.Multiple(() =>
        {
            Assert.That(ask.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body.GetProperty("orchestrator").GetProperty("provider").GetString(), Is.EqualTo("gemini"), "the built-in provider of the GEMMA_* settings, whatever it speaks");
            Assert.That(body.GetProperty("fallback").GetBoolean(), Is.False);
            Assert.That(sent.RootElement.TryGetProperty("max_tokens", out _), Is.True, "Ollama reads only max_tokens");
            Assert.That(sent.RootElement.TryGetProperty("max_completion_tokens", out _), Is.False);
        });
    }

    [TestCase("GEMMA_BASE_URL", "not a url")]
    [TestCase("OPENAI_BASE_URL", "ftp://example.com")]
    [TestCase("CACHE_TTL_SECONDS", "-5")]
    [TestCase("CACHE_TTL_SECONDS", "soon")]
    [TestCase("CACHE_TTL_SECONDS", "NaN")]
    [TestCase("CACHE_TTL_SECONDS", "Infinity")]
    [TestCase("CACHE_TTL_SECONDS", "1e300")]
    [TestCase("REQUEST_TIMEOUT_SECONDS", "-Infinity")]
    [TestCase("EXECUTOR_TIMEOUT_SECONDS", "NaN")]
    [TestCase("RETRY_BASE_DELAY_MS", "Infinity")]
    [TestCase("RETRY_MAX_DELAY_MS", "1e300")]
    [TestCase("CIRCUIT_BREAKER_BREAK_SECONDS", "NaN")]
    [TestCase("CACHE_MAX_ENTRIES", "0")]
    [TestCase("CACHE_MAX_ENTRIES", "lots")]
    [TestCase("REDIS_URL", "http://127.0.0.1:6379")]
    [TestCase("GEMMA_PROVIDER", "anthropic")]
    [TestCase("RETRY_MAX_ATTEMPTS", "0")]
    [TestCase("REQUEST_TIMEOUT_SECONDS", "0")]
    [TestCase("LOG_LEVEL", "Loud")]
    [TestCase("PRICE_TABLE", "gpt-4o-mini=cheap")]
    [TestCase("MAX_CONNECTIONS", "0")]
    [TestCase("MAX_CONNECTIONS", "unlimited")]
    [TestCase("CACHE_MAX_BYTES", "1000")]
    [TestCase("CACHE_MAX_BYTES", "64MB")]
    [TestCase("ALLOWED_HOSTS", "https://api.example.com/")]
    [TestCase("CORS_ORIGINS", "app.example.com")]
    [TestCase("CORS_ORIGINS", "https://app.example.com/path")]
    public async Task Start_MalformedSetting_FailsNamingTheVariable(string variable, string value)
    {
        var exception = await AgentApiHost.StartupFailureAsync(settings => settings[variable] = value);

        Assert.That(exception!.ToString(), Does.Contain(variable));
    }

    [TestCase("REQUEST_TIMEOUT_SECONDS", "5000000", "3600")]
    [TestCase("ORCHESTRATOR_TIMEOUT_SECONDS", "3601", "3600")]
    [TestCase("EXECUTOR_TIMEOUT_SECONDS", "3601", "3600")]
    [TestCase("CACHE_TTL_SECONDS", "31536001", "31536000")]
    [TestCase("RETRY_MAX_DELAY_MS", "600001", "600000")]
    [TestCase("CIRCUIT_BREAKER_BREAK_SECONDS", "86401", "86400")]
    public async Task Start_SettingAboveItsBound_FailsNamingTheVariableAndTheBound(string variable, string value, string bound)
    {
        var exception = await AgentApiHost.StartupFailureAsync(settings => settings[variable] = value);

        Assert.Multiple(() =>
        {
            Assert.That(exception!.ToString(), Does.Contain(variable));
            Assert.That(exception.ToString(), Does.Contain(bound));
        });
    }

    [TestCase("OPENAI_BASE_URL", Secret)]
    [TestCase("GEMMA_BASE_URL", Secret)]
    [TestCase("REQUEST_TIMEOUT_SECONDS", Secret)]
    [TestCase("RETRY_MAX_ATTEMPTS", Secret)]
    [TestCase("LOG_LEVEL", Secret)]
    [TestCase("PRICE_TABLE", Secret)]
    [TestCase("MAX_CONNECTIONS", Secret)]
    [TestCase("CACHE_MAX_BYTES", Secret)]
    [TestCase("CORS_ORIGINS", Secret)]
    public async Task Start_SecretInTheWrongSetting_FailsNamingTheVariableButNotTheValue(string variable, string value)
    {
        var exception = await AgentApiHost.StartupFailureAsync(settings => settings[variable] = value);

        Assert.Multiple(() =>
        {
            Assert.That(exception!.ToString(), Does.Contain(variable));
            Assert.That(exception.ToString(), Does.Not.Contain(SecretPart));
        });
    }

    [TestCase("OPENAI_BASE_URL", "OPENAI_API_KEY")]
    [TestCase("GEMMA_BASE_URL", "GEMMA_API_KEY")]
    public async Task Start_ProviderUrlWithCredentials_FailsPointingToTheKeyVariable(string variable, string keyVariable)
    {
        var exception = await AgentApiHost.StartupFailureAsync(settings => settings[variable] = $"https://apikey:{Secret}@example.com/v1");

        Assert.Multiple(() =>
        {
            Assert.That(exception!.ToString(), Does.Contain(variable));
            Assert.That(exception.ToString(), Does.Contain(keyVariable));
            Assert.That(exception.ToString(), Does.Not.Contain(SecretPart));
        });
    }

    [Test]
    public async Task Start_MalformedRedisConnectionString_FailsNamingTheVariableButNotThePassword()
    {
        var exception = await AgentApiHost.StartupFailureAsync(settings => settings["ConnectionStrings:Redis"] = "redis://:hunter2@127.0.0.1:6379/zero");

        Assert.Multiple(() =>
        {
            Assert.That(exception!.ToString(), Does.Contain("ConnectionStrings__Redis"));
            Assert.That(exception.ToString(), Does.Not.Contain("hunter2"));
        });
    }
}
