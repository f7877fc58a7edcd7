using System.Net;
using AgentApi.Infrastructure.Providers.Resilience;

namespace AgentApi.Tests.Unit;

[TestFixture]
public sealed class ProviderFaultsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static HttpResponseMessage Response(HttpStatusCode status, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status);
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    [TestCase(HttpStatusCode.RequestTimeout, true)]
    [TestCase(HttpStatusCode.TooManyRequests, true)]
    [TestCase(HttpStatusCode.InternalServerError, true)]
    [TestCase(HttpStatusCode.BadGateway, true)]
    [TestCase(HttpStatusCode.ServiceUnavailable, true)]
    [TestCase(HttpStatusCode.GatewayTimeout, true)]
    [TestCase(HttpStatusCode.BadRequest, false)]
    [TestCase(HttpStatusCode.Unauthorized, false)]
    [TestCase(HttpStatusCode.Forbidden, false)]
    [TestCase(HttpStatusCode.NotFound, false)]
    [TestCase(HttpStatusCode.NotImplemented, false)]
    public void ShouldRetry_ByStatus_RetriesOnlyTransientFailures(HttpStatusCode status, bool expected)
    {
        using var response = Response(status);

        Assert.That(ProviderFaults.ShouldRetry(response, body: null), Is.EqualTo(expected));
    }

    [TestCase("""{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}""")]
    [TestCase("""{"error":{"code":429,"status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaId":"GenerateRequestsPerDayPerProjectPerModel-FreeTier"}]}]}}""")]
    [TestCase("""{"error":{"message":"Request too large for gpt-4o-mini on tokens per min (TPM): Limit 200000, Requested 250000.","type":"tokens","param":null,"code":"rate_limit_exceeded"}}""")]
    public void ShouldRetry_429ThatWaitingCannotFix_DoesNotRetry(string body)
    {
        using var response = Response(HttpStatusCode.TooManyRequests);

        Assert.That(ProviderFaults.ShouldRetry(response, body), Is.False);
    }

    [Test]
    public void ShouldRetry_ServerSaysShouldRetryFalse_DoesNotRetryEvenA503()
    {
        using var response = Response(HttpStatusCode.ServiceUnavailable, ("x-should-retry", "false"));

        Assert.That(ProviderFaults.ShouldRetry(response, body: null), Is.False);
    }

    [Test]
    public void RetryAfter_DeltaSecondsHeader_IsHonoured()
    {
        using var response = Response(HttpStatusCode.TooManyRequests, ("Retry-After", "2"));

        Assert.That(ProviderFaults.RetryAfter(response.Headers, null, Now), Is.EqualTo(TimeSpan.FromSeconds(2)));
    }

    [Test]
    public void RetryAfter_HttpDateHeader_IsTheTimeUntilThatDate()
    {
        using var response = Response(HttpStatusCode.ServiceUnavailable, ("Retry-After", Now.AddSeconds(30).ToString("R")));

        Assert.That(ProviderFaults.RetryAfter(response.Headers, null, Now), Is.EqualTo(TimeSpan.FromSeconds(30)));
    }

    [Test]
    public void RetryAfter_RetryAfterMsHeader_WinsOverRetryAfter()
    {
        using var response = Response(HttpStatusCode.TooManyRequests, ("retry-after-ms", "644"), ("Retry-After", "5"));

        Assert.That(ProviderFaults.RetryAfter(response.Headers, null, Now), Is.EqualTo(TimeSpan.FromMilliseconds(644)));
    }

    [TestCase("""{"error":{"details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"25s"}]}}""", 25_000)]
    [TestCase("""{"error":{"details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"37.2s"}]}}""", 37_200)]
    [TestCase("""{"error":{"message":"Quota exceeded ... Please retry in 25.465784708s."}}""", 25_466)]
    [TestCase("""{"error":{"message":"Rate limit reached ... Please try again in 644ms. Visit ..."}}""", 644)]
    [TestCase("""{"error":{"message":"Please try again in 3.89s."}}""", 3_890)]
    public void RetryAfter_HintInBody_IsParsed(string body, int expectedMs)
    {
        using var response = Response(HttpStatusCode.TooManyRequests);

        var delay = ProviderFaults.RetryAfter(response.Headers, body, Now);

        Assert.That(delay!.Value.TotalMilliseconds, Is.EqualTo(expectedMs).Within(1));
    }

    [Test]
    public void RetryAfter_NoHint_IsNull()
    {
        using var response = Response(HttpStatusCode.ServiceUnavailable);

        Assert.That(ProviderFaults.RetryAfter(response.Headers, """{"error":{"message":"overloaded"}}""", Now), Is.Null);
    }

    [TestCase("""{"error":{"details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"99999999999999999999s"}]}}""")]
    [TestCase("""{"error":{"message":"Please try again in 99999999999999999999999ms."}}""")]
    public void RetryAfter_AbsurdHintInBody_IsCappedNotAnOverflow(string body)
    {
        using var response = Response(HttpStatusCode.TooManyRequests);

        Assert.That(ProviderFaults.RetryAfter(response.Headers, body, Now), Is.EqualTo(TimeSpan.FromDays(1)));
    }

    [Test]
    public void RetryAfter_AbsurdMillisecondsHeader_IsCappedNotAnOverflow()
    {
        using var response = Response(HttpStatusCode.TooManyRequests, ("retry-after-ms", "1e300"));

        Assert.That(ProviderFaults.RetryAfter(response.Headers, null, Now), Is.EqualTo(TimeSpan.FromDays(1)));
    }
}
