using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Polly;

namespace AgentApi.Infrastructure.Providers;

/// <summary>
/// Innermost handler: counts and logs every HTTP attempt, and reads the body inside the attempt, so
/// the per-attempt timeout also covers a provider that sends headers and stalls. An error body is
/// read once into a <see cref="ProviderFault"/> for the retry policy and the error translation. A streamed
/// answer (<see cref="ProviderCall.StreamsBody"/>) is the exception: its attempt ends with a successful status
/// line and headers, and its body is read as it arrives, after the retry policy is done with it.
/// </summary>
internal sealed class ProviderAttemptHandler(ProviderChannel roleChannel, TimeProvider timeProvider, ILogger logger) : DelegatingHandler
{
    private const int MaxErrorBodyBytes = 64 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var call = ProviderCall.From(request);
        var channel = call?.Channel ?? roleChannel;
        var attempt = call?.StartAttempt(request) ?? 1;
        var model = call?.Model ?? channel.Model;
        if (call is not null && request.GetPolicyExecutionContext() is { } context)
        {
            // The retry policy sees this context, not the request, when an attempt throws.
            context[ProviderCall.OptionKey] = call;
        }

        var url = call?.Url ?? request.RequestUri?.GetLeftPart(UriPartial.Path);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var body = await ReadErrorBodyAsync(response, cancellationToken);
                call?.Failed(ProviderFault.Read(response, body, timeProvider.GetUtcNow()));
            }
            else if (call?.StreamsBody != true)
            {
                await response.Content.LoadIntoBufferAsync(cancellationToken);
            }

            Log.ProviderAttempt(logger, channel.Role, channel.Name, model, url, attempt, (int)response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            Log.ProviderAttemptFailed(logger, channel.Role, channel.Name, model, url, attempt, ex.GetType().Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
    }

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
}
