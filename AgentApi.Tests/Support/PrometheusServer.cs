using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AgentApi.Tests.Support;

/// <summary>
/// A real Prometheus (Debian package <c>prometheus</c>) run as a child process: 127.0.0.1 and a free port, a temporary
/// directory for its configuration and data, scraping one target every second and evaluating the ops kit's rules every
/// second. Disposing kills it and deletes the directory.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _output = new();

    private PrometheusServer(Process process, string directory, Uri baseUrl)
    {
        _process = process;
        _directory = directory;
        Client = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(10) };
    }

    public HttpClient Client { get; }

    /// <summary>Starts Prometheus scraping <paramref name="target"/> (job <c>agentapi</c>) with <paramref name="ruleFiles"/> loaded; ignores the test when it is not installed.</summary>
    public static async Task<PrometheusServer> StartAsync(Uri target, IEnumerable<string> ruleFiles)
    {
        var executable = LocalTools.Require("prometheus", "prometheus");
        var directory = Path.Combine(Path.GetTempPath(), "agentapi-tests", "prometheus-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var config = new StringBuilder()
            .AppendLine("global: { scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s }")
            .AppendLine("rule_files:");
        foreach (var file in ruleFiles)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"  - {JsonSerializer.Serialize(file)}");
        }

        config.AppendLine("scrape_configs:")
            .AppendLine("  - job_name: agentapi")
            .AppendLine(CultureInfo.InvariantCulture, $"    static_configs: [ {{ targets: [ \"{target.Authority}\" ] }} ]");
        var configFile = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(configFile, config.ToString());

        var port = LocalTools.FreePort();
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        foreach (var argument in new[]
        {
            "--config.file=" + configFile,
            "--storage.tsdb.path=" + Path.Combine(directory, "data"),
            string.Create(CultureInfo.InvariantCulture, $"--web.listen-address=127.0.0.1:{port}"),
            "--log.level=warn",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("prometheus did not start.");
        var server = new PrometheusServer(process, directory, new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}")));
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var started = Stopwatch.StartNew();
        while (!await server.IsReadyAsync())
        {
            if (process.HasExited || started.Elapsed > StartTimeout)
            {
                var output = server.Output;
                await server.DisposeAsync();
                throw new InvalidOperationException($"prometheus was not ready on port {port} within {StartTimeout.TotalSeconds} s:\n{output}");
            }

            await Task.Delay(50);
        }

        return server;
    }

    /// <summary>What Prometheus wrote to its standard output and error, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>An instant query through <c>/api/v1/query</c>: the response's <c>data.result</c>; fails the test when Prometheus refuses the query.</summary>
    public async Task<JsonElement> QueryAsync(string promql)
    {
        var (status, body) = await GetAsync("/api/v1/query?query=" + Uri.EscapeDataString(promql));
        Assert.That(status, Is.EqualTo("success"), $"{promql}\n{body}");
        return body.GetProperty("data").GetProperty("result");
    }

    /// <summary>The value of the only series <paramref name="promql"/> returns, or null when it returns none.</summary>
    public async Task<double?> ScalarAsync(string promql)
    {
        var result = await QueryAsync(promql);
        return result.GetArrayLength() == 0 ? null : double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
    }

    /// <summary>Any <c>/api/v1/…</c> answer: its <c>status</c> and whole body.</summary>
    public async Task<(string Status, JsonElement Body)> GetAsync(string pathAndQuery)
    {
        using var response = await Client.GetAsync(new Uri(pathAndQuery, UriKind.Relative));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var body = document.RootElement.Clone();
        return (body.GetProperty("status").GetString()!, body);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temporary folder; nothing else uses it.
        }
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private async Task<bool> IsReadyAsync()
    {
        try
        {
            using var response = await Client.GetAsync(new Uri("/-/ready", UriKind.Relative));
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
