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

    /// <summary>Reads at most <see cref="MaxErrorBodyBytes"/> of an error body, and keeps that much for Refit to read again.</summary>
    private static async Task<string> ReadErrorBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxErrorBodyBytes];
        var length = 0;
        await using (var stream = await response.Content.ReadAsStreamAsync(cancellationToken))
        {
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
            }
        }

        var kept = new ByteArrayContent(buffer, 0, length);
        foreach (var header in response.Content.Headers)
        {
            if (!string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                kept.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        response.Content.Dispose();
        response.Content = kept;
        return System.Text.Encoding.UTF8.GetString(buffer, 0, length);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var call = ProviderCall.From(request);
        var attempt = call?.NextAttempt() ?? 1;
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken);

            // Read the body here, inside the attempt: the per-attempt timeout then covers a provider that
            // sends headers and stalls, and the retry policy can read an error body without blocking.
            if (response.IsSuccessStatusCode)
            {
                await response.Content.LoadIntoBufferAsync(cancellationToken);
            }
            else if (call is not null)
            {
                call.LastErrorBody = await ReadErrorBodyAsync(response, cancellationToken);
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
