using System.Net;
using System.Text;
using AgentApi.Core;
using AgentApi.Core.Providers;
using AgentApi.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AgentApi.Tests.Unit;

/// <summary>
/// How the executor's HTTP pipeline (Refit, Polly, the attempt handler, error translation) turns what
/// a provider answers into a result or a <see cref="ProviderException"/>, in-process: the real DI
/// wiring with a stub handler where the socket would be (dotnet/extensions' TestHandlerStub style).
/// </summary>
[TestFixture]
public sealed class ProviderErrorTranslationTests
{
    private const string Key = "sk-test-Translation0123456789";

    [Test]
    public void CompleteAsync_401_IsRejectedWithoutRetryOrKey()
    {
        var stub = new StubHandler(_ => Json(HttpStatusCode.Unauthorized, """{"error":{"message":"Incorrect API key provided: KEY.","type":"invalid_request_error","code":"invalid_api_key"}}""".Replace("KEY", Key, StringComparison.Ordinal)));

        var failure = Assert.ThrowsAsync<ProviderException>(() => Executor(stub).CompleteAsync(Request(), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(failure!.Failure, Is.EqualTo(ProviderFailure.Rejected));
            Assert.That(failure.ProviderStatusCode, Is.EqualTo(401));
            Assert.That(failure.Attempts, Is.EqualTo(1));
            Assert.That(stub.Calls, Is.EqualTo(1));
            Assert.That(failure.Message + failure.ProviderDetail, Does.Not.Contain(Key));
        });
    }

    [Test]
    public void CompleteAsync_429InsufficientQuota_IsQuotaExhaustedWithoutRetry()
    {
        var stub = new StubHandler(_ => Json(HttpStatusCode.TooManyRequests, """{"error":{"message":"You exceeded your current quota.","type":"insufficient_quota","code":"insufficient_quota"}}"""));

        var failure = Assert.ThrowsAsync<ProviderException>(() => Executor(stub).CompleteAsync(Request(), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(failure!.Failure, Is.EqualTo(ProviderFailure.QuotaExhausted));
            Assert.That(stub.Calls, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task CompleteAsync_503ThenOk_RetriesAndCountsBothAttempts()
    {
        var stub = new StubHandler(call => call == 1
            ? Json(HttpStatusCode.ServiceUnavailable, """{"error":{"message":"overloaded","type":"server_error"}}""")
            : Json(HttpStatusCode.OK, Fakes.FakeOpenAIServer.SuccessBody("hello")));

        var completion = await Executor(stub).CompleteAsync(Request(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(completion.Text, Is.EqualTo("hello"));
            Assert.That(completion.Attempts, Is.EqualTo(2));
        });
    }

    [Test]
    public void CompleteAsync_429AskingToWaitPastTheDeadline_IsRateLimitedAtOnceWithTheWait()
    {
        var stub = new StubHandler(_ =>
        {
            var response = Json(HttpStatusCode.TooManyRequests, """{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}""");
            response.Headers.Add("retry-after-ms", "20000");
            return response;
        });

        var failure = Assert.ThrowsAsync<ProviderException>(() => Executor(stub).CompleteAsync(Request(deadlineIn: TimeSpan.FromSeconds(5)), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(failure!.Failure, Is.EqualTo(ProviderFailure.RateLimited));
            Assert.That(failure.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(20)));
            Assert.That(stub.Calls, Is.EqualTo(1), "a retry that cannot finish before the deadline is not made");
        });
    }

    [Test]
    public void CompleteAsync_500EveryTime_IsUpstreamErrorAfterEveryAttempt()
    {
        var stub = new StubHandler(_ => Json(HttpStatusCode.InternalServerError, """{"error":{"message":"The server had an error","type":"server_error"}}"""));

        var failure = Assert.ThrowsAsync<ProviderException>(() => Executor(stub).CompleteAsync(Request(), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(failure!.Failure, Is.EqualTo(ProviderFailure.UpstreamError));
            Assert.That(failure.Attempts, Is.EqualTo(3));
            Assert.That(failure.ProviderDetail, Does.Contain("The server had an error"));
        });
    }

    [Test]
    public void CompleteAsync_200WithHtml_IsInvalidResponse()
    {
        var stub = new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<html>proxy</html>", Encoding.UTF8, "text/html") });

        var failure = Assert.ThrowsAsync<ProviderException>(() => Executor(stub).CompleteAsync(Request(), CancellationToken.None));

        Assert.That(failure!.Failure, Is.EqualTo(ProviderFailure.InvalidResponse));
    }

    [Test]
    public void CompleteAsync_NetworkFailure_IsUpstreamErrorNamingNoKey()
    {
        var stub = new StubHandler(_ => throw new HttpRequestException("Connection refused (openai.test:443)"));

        var failure = Assert.ThrowsAsync<ProviderException>(() => Executor(stub).CompleteAsync(Request(), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(failure!.Failure, Is.EqualTo(ProviderFailure.UpstreamError));
            Assert.That(failure.Attempts, Is.EqualTo(3));
        });
    }

    private static ChatRequest Request(TimeSpan? deadlineIn = null) =>
        new("Say hello", "Be brief.", 64, Deadline: DateTimeOffset.UtcNow + (deadlineIn ?? TimeSpan.FromSeconds(30)));

    private static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    /// <summary>The executor as DI builds it, with <paramref name="stub"/> where the socket would be.</summary>
    private static IChatModel Executor(StubHandler stub)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Executor:ApiKey"] = Key,
            ["Executor:BaseUrl"] = "https://openai.test/v1",
            ["Orchestrator:ApiKey"] = "gemini-key",
            ["Resilience:BaseDelayMilliseconds"] = "1",
            ["Resilience:MaxDelayMilliseconds"] = "2",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddMetrics();
        services.AddCore().AddInfrastructure(configuration);
        services.AddHttpClient(ModelRole.Executor).ConfigurePrimaryHttpMessageHandler(() => stub);
        return services.BuildServiceProvider().GetRequiredKeyedService<IChatModel>(ModelRole.Executor);
    }

    private sealed class StubHandler(Func<int, HttpResponseMessage> respond) : HttpMessageHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = respond(Interlocked.Increment(ref _calls));
            response.RequestMessage = request;
            return Task.FromResult(response);
        }
    }
}
