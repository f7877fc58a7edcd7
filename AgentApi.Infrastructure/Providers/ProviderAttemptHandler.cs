using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace AgentApi.Infrastructure.Providers;

/// <summary>
/// Innermost handler: counts and logs every HTTP attempt, and reads the body of an error response
/// so the retry policy can tell a rate limit from an exhausted quota without blocking.
/// </summary>
internal sealed class ProviderAttemptHandler(ProviderChannel channel, ILogger logger) : DelegatingHandler
{
    private const int MaxErrorBodyBytes = 64 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var call = ProviderCall.From(request);
        var attempt = call?.NextAttempt() ?? 1;
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode && call is not null)
            {
                await response.Content.LoadIntoBufferAsync(MaxErrorBodyBytes, cancellationToken);
                call.LastErrorBody = await response.Content.ReadAsStringAsync(cancellationToken);
            }

            Log.ProviderAttempt(logger, channel.Role, channel.Protocol, channel.Model, attempt, (int)response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            Log.ProviderAttemptFailed(logger, channel.Role, channel.Protocol, channel.Model, attempt, ex.GetType().Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
    }
}
