using System.Text;
using AgentApi.Web.Diagnostics;
using NLog;
using NLog.Config;

namespace AgentApi.Tests.Unit;

[TestFixture]
public sealed class StandardOutputTargetTests
{
    // A batch longer than the builder's first chunks, with characters of two, three and four UTF-8 bytes (a
    // surrogate pair may fall on a chunk boundary): the bytes written are the lines, in order, as UTF-8, in one write.
    [Test]
    public void Batch_ManyLinesOfMixedText_OneWriteOfTheLinesAsUtf8()
    {
        var output = new CountingStream();
        var target = new StandardOutputTarget(() => output) { Name = "console", Layout = "${message}" };
        var configuration = new LoggingConfiguration(new LogFactory());
        configuration.AddRuleForAllLevels(target);
        configuration.LogFactory.Configuration = configuration;
        var lines = Enumerable.Range(0, 400).Select(i => $"{i} ü € 🙂 {new string('x', i % 37)}").ToList();

        var events = lines.Select(line => LogEventInfo.Create(LogLevel.Info, "test", line).WithContinuation(_ => { })).ToList();
        target.WriteAsyncLogEvents(events.ToArray());
        configuration.LogFactory.Shutdown();

        var expected = string.Concat(lines.Select(l => l + Environment.NewLine));
        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetString(output.ToArray()), Is.EqualTo(expected));
            Assert.That(output.Writes, Is.EqualTo(1), "the batch in one write");
        });
    }

    private sealed class CountingStream : MemoryStream
    {
        public int Writes { get; private set; }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Writes++;
            base.Write(buffer, offset, count);
        }
    }
}
