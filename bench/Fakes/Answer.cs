using System.Text;

namespace AgentApi.Bench.Fakes;

/// <summary>A fixed response, encoded once.</summary>
internal sealed class Answer(Counter counter, string contentType, string body, int status = StatusCodes.Status200OK)
{
    private readonly byte[] _body = Encoding.UTF8.GetBytes(body.Trim());

    public Counter Counter { get; } = counter;

    public Task WriteAsync(HttpResponse response)
    {
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = _body.Length;
        return response.Body.WriteAsync(_body).AsTask();
    }
}
