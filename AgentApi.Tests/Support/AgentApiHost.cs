using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentApi.Tests.Fakes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace AgentApi.Tests.Support;

/// <summary>
/// The real app on Kestrel (127.0.0.1, free port) wired to a fake Gemini and a fake OpenAI server,
/// so every test goes through real sockets, Refit, Polly, serialization and the cache.
/// </summary>
public sealed class AgentApiHost : IAsyncDisposable
{
    private readonly AgentApiFactory _factory;

    private AgentApiHost(AgentApiFactory factory, FakeGeminiServer gemini, FakeOpenAIServer openAI, Uri baseUrl, string logDirectory)
    {
        _factory = factory;
        Gemini = gemini;
        OpenAI = openAI;
        BaseUrl = baseUrl;
        LogDirectory = logDirectory;
        Client = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
    }

    public FakeGeminiServer Gemini { get; }

    public FakeOpenAIServer OpenAI { get; }

    public Uri BaseUrl { get; }

    public HttpClient Client { get; }

    public string LogDirectory { get; }

    public IServiceProvider Services => _factory.Services;

    /// <summary>Starts fakes and app. <paramref name="configure"/> may change or remove (null) any setting.</summary>
    /// <param name="configure">Changes the settings.</param>
    /// <param name="executorModels">The models the fake OpenAI server serves (default: gpt-4o-mini).</param>
    public static async Task<AgentApiHost> StartAsync(Action<Dictionary<string, string?>>? configure = null, params string[] executorModels)
    {
        var gemini = await FakeGeminiServer.StartAsync();
        var openAI = await FakeOpenAIServer.StartAsync(FakeOpenAIServer.DefaultApiKey, executorModels);
        gemini.Reply = Plans.EchoPlan;
        var logDirectory = Path.Combine(Path.GetTempPath(), "agentapi-tests", Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?>
        {
            ["GEMMA_API_KEY"] = FakeGeminiServer.DefaultApiKey,
            ["GEMMA_BASE_URL"] = gemini.BaseUrl.ToString(),
            ["OPENAI_API_KEY"] = FakeOpenAIServer.DefaultApiKey,
            ["OPENAI_BASE_URL"] = openAI.BaseUrl.ToString(),
            ["RETRY_BASE_DELAY_MS"] = "5",
            ["RETRY_MAX_DELAY_MS"] = "50",
            ["CIRCUIT_BREAKER_MIN_CALLS"] = "1000",
            ["LOG_LEVEL"] = "Warning",
            ["LOG_DIR"] = logDirectory,

            // Off: the warm-up's own tests (WarmUpTests) turn it on; elsewhere its asks would only slow each start.
            ["WARMUP_ASKS"] = "0",
        };
        configure?.Invoke(settings);

        var factory = new AgentApiFactory(settings);
        try
        {
            factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
            factory.StartServer();
            var address = factory.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            return new AgentApiHost(factory, gemini, openAI, new Uri(address), logDirectory);
        }
        catch
        {
            // A start that fails must not leave the fakes listening for the rest of the run.
            await factory.DisposeAsync();
            await gemini.DisposeAsync();
            await openAI.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts the app expecting start-up to fail, and returns what stopped it. WebApplicationFactory now and then
    /// reports a failed start as an <see cref="ObjectDisposedException"/> of its deferred host, hiding the cause:
    /// such a start is tried again.
    /// </summary>
    public static async Task<Exception> StartupFailureAsync(Action<Dictionary<string, string?>> configure)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var host = await StartAsync(configure);
            }
            catch (ObjectDisposedException) when (attempt < 3)
            {
                continue;
            }
            catch (Exception ex)
            {
                return ex;
            }

            Assert.Fail("Start-up did not fail.");
        }
    }

    public Task<HttpResponseMessage> AskAsync(object body, string? requestId = null, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/ask") { Content = JsonContent.Create(body) };
        if (requestId is not null)
        {
            request.Headers.Add("X-Request-ID", requestId);
        }

        return Client.SendAsync(request, cancellationToken);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    /// <summary>Clears the fakes' scripts and counters between tests.</summary>
    public void ResetFakes()
    {
        Gemini.Reset();
        OpenAI.Reset();
        OpenAI.ToolArguments = null;
        Gemini.ToolArguments = null;
        Gemini.Reply = Plans.EchoPlan;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
        await Gemini.DisposeAsync();
        await OpenAI.DisposeAsync();
    }
}
