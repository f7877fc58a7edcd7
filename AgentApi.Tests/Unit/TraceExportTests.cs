using AgentApi.Core.Configuration;
using AgentApi.Web.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace AgentApi.Tests.Unit;

/// <summary>When traces are exported, and where to, from the standard OTEL_* variables.</summary>
[TestFixture]
public sealed class TraceExportTests
{
    [Test]
    public void Read_NoEndpoint_IsOff()
    {
        Assert.That(Read(new()).IsOn, Is.False);
    }

    [Test]
    public void Read_Endpoint_IsGrpcThere()
    {
        var export = Read(new() { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://collector:4317" });

        Assert.Multiple(() =>
        {
            Assert.That(export.IsOn, Is.True);
            Assert.That(export.Endpoint, Is.EqualTo(new Uri("http://collector:4317")));
            Assert.That(export.Protocol, Is.EqualTo("grpc"));
            Assert.That(export.SignalEndpoint, Is.False);
            Assert.That(export.Describe(captureContent: false), Is.EqualTo("OTLP (grpc) to http://collector:4317, prompts and answers not recorded"));
        });
    }

    [Test]
    public void Read_TracesEndpointAndProtocol_WinOverTheGeneralOnes()
    {
        var export = Read(new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://collector:4317",
            ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = "https://traces.example.com/otlp/v1/traces",
            ["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"] = "http/protobuf",
        });

        Assert.Multiple(() =>
        {
            Assert.That(export.Endpoint, Is.EqualTo(new Uri("https://traces.example.com/otlp/v1/traces")));
            Assert.That(export.Protocol, Is.EqualTo("http/protobuf"));
            Assert.That(export.SignalEndpoint, Is.True);
        });
    }

    [Test]
    public void Read_ExporterNone_IsOffWhateverTheEndpoint()
    {
        Assert.That(Read(new() { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://collector:4317", ["OTEL_TRACES_EXPORTER"] = "none" }).IsOn, Is.False);
    }

    [TestCase("collector:4317")]
    [TestCase("ftp://collector")]
    [TestCase("http://user:secret@collector:4317")]
    public void Read_MalformedEndpoint_NamesTheVariableNotTheValue(string endpoint)
    {
        var error = Assert.Throws<InvalidSettingException>(() => Read(new() { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint }));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Setting, Is.EqualTo("OTEL_EXPORTER_OTLP_ENDPOINT"));
            Assert.That(error.Message, Does.Not.Contain("secret"));
        });
    }

    [Test]
    public void Read_UnknownProtocol_NamesTheVariable()
    {
        var error = Assert.Throws<InvalidSettingException>(() => Read(new() { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://collector:4318", ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/json" }));

        Assert.That(error!.Setting, Is.EqualTo("OTEL_EXPORTER_OTLP_PROTOCOL"));
    }

    private static TraceExport Read(Dictionary<string, string?> settings) =>
        TraceExport.Read(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
}
