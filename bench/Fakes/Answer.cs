using System.Text;

namespace AgentApi.Bench.Fakes;

/// <summary>A fixed response, encoded once.</summary>
internal sealed class Answer(Counter counter, string contentType, string body, int status = StatusCodes.Status200OK)
{
    // An event stream keeps its last blank line: it ends the stream's last event.
    private readonly byte[] _body = Encoding.UTF8.GetBytes(contentType.StartsWith("text/event-stream", StringComparison.Ordinal) ? body : body.Trim());

    public Counter Counter { get; } = counter;

    public Task WriteAsync(HttpResponse response)
    {
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = _body.Length;
        return response.Body.WriteAsync(_body).AsTask();
    }
}
