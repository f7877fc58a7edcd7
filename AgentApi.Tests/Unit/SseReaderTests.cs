using System.IO.Pipelines;
using System.Text;
using AgentApi.Infrastructure.Providers;

namespace AgentApi.Tests.Unit;

[TestFixture]
public sealed class SseReaderTests
{
    [Test]
    public async Task ReadDataAsync_CrlfCommentsFieldsAndMultiLineData_ReadsEachEventsData()
    {
        const string wire = ": hello\r\nevent: chunk\r\nid: 1\r\ndata: {\"a\":\r\ndata:1}\r\n\r\ndata:[DONE]\n\ndata: unterminated";
        using var reader = new SseReader(new MemoryStream(Encoding.UTF8.GetBytes(wire)), TimeSpan.FromSeconds(5));

        var first = await reader.ReadDataAsync(CancellationToken.None);
        var second = await reader.ReadDataAsync(CancellationToken.None);
        var end = await reader.ReadDataAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo("{\"a\":\n1}"));
            Assert.That(second, Is.EqualTo("[DONE]"));
            Assert.That(end, Is.Null, "an event cut off by the end of the body is dropped");
        });
    }

    [Test]
    public async Task ReadDataAsync_NothingArrivesWithinTheStallTimeout_ThrowsTimeoutException()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes("data: 1\n\n"));
        using var reader = new SseReader(pipe.Reader.AsStream(), TimeSpan.FromMilliseconds(100));

        var first = await reader.ReadDataAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo("1"));
            Assert.ThrowsAsync<TimeoutException>(async () => await reader.ReadDataAsync(CancellationToken.None));
        });
    }

    [Test]
    public async Task ReadDataAsync_CallerCancels_ThrowsOperationCanceledNotTimeout()
    {
        var pipe = new Pipe();
        using var reader = new SseReader(pipe.Reader.AsStream(), TimeSpan.FromSeconds(5));
        using var cancel = new CancellationTokenSource(50);

        Assert.CatchAsync<OperationCanceledException>(async () => await reader.ReadDataAsync(cancel.Token));
        await pipe.Writer.CompleteAsync();
    }
}
