using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AgentApi.Tests.Support;

/// <summary>
/// A real <c>redis-server</c> (Debian package <c>redis-server</c>) run as a child process on 127.0.0.1 and a
/// free port, without persistence. Tests that need one are ignored only when the binary is not installed.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);
    private readonly Process _process;

    private RedisServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The <c>REDIS_URL</c> form.</summary>
    public string Url => string.Create(CultureInfo.InvariantCulture, $"redis://127.0.0.1:{Port}");

    /// <summary>The StackExchange.Redis form.</summary>
    public string ConfigurationString => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    /// <summary>Starts a server, or marks the test ignored when <c>redis-server</c> is not on the PATH.</summary>
    public static async Task<RedisServer> StartAsync()
    {
        var executable = LocalTools.Find("redis-server");
        if (executable is null)
        {
            Assert.Ignore("redis-server is not installed (Debian: apt-get install -y redis-server).");
        }

        var port = LocalTools.FreePort();
        var startInfo = new ProcessStartInfo(executable!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning" })
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("redis-server did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new RedisServer(process, port);
        var started = Stopwatch.StartNew();
        while (!await server.PingAsync())
        {
            if (process.HasExited || started.Elapsed > StartTimeout)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException($"redis-server did not answer PING on port {port} within {StartTimeout.TotalSeconds} s.");
            }

            await Task.Delay(20);
        }

        return server;
    }

    /// <summary>Sends one command and returns the first line of the reply, e.g. <c>:3</c> or <c>+PONG</c>.</summary>
    public async Task<string> SendAsync(params string[] arguments)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port);
        var stream = client.GetStream();
        var command = new StringBuilder().Append('*').Append(arguments.Length).Append("\r\n");
        foreach (var argument in arguments)
        {
            command.Append('$').Append(Encoding.UTF8.GetByteCount(argument)).Append("\r\n").Append(argument).Append("\r\n");
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(command.ToString()));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadLineAsync() ?? string.Empty;
    }

    /// <summary>Number of keys in the database.</summary>
    public async Task<long> CountKeysAsync() => long.Parse((await SendAsync("DBSIZE")).TrimStart(':'), CultureInfo.InvariantCulture);

    /// <summary>Kills the server at once, as a crash or a network loss would look to its clients.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            return await SendAsync("PING") == "+PONG";
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
