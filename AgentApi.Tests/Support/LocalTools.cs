using System.Net;
using System.Net.Sockets;

namespace AgentApi.Tests.Support;

/// <summary>Programs the tests run from the PATH (Debian packages that <c>.ci/run</c> installs), and free loopback ports for them.</summary>
internal static class LocalTools
{
    /// <summary>The full path of <paramref name="name"/> on the PATH, or null.</summary>
    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    /// <summary>
    /// The full path of <paramref name="name"/>. When it is missing the test is ignored on a developer's machine, but fails
    /// in CI (<c>CI=true</c>), where <c>.ci/run</c> installs <paramref name="debianPackage"/>: a check that silently stops
    /// running is no check.
    /// </summary>
    public static string Require(string name, string debianPackage)
    {
        if (Find(name) is { } path)
        {
            return path;
        }

        var message = $"{name} is not installed (Debian: apt-get install -y {debianPackage}; .ci/run installs it).";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message);
        }

        Assert.Ignore(message);
        return string.Empty;
    }

    /// <summary>A port free on 127.0.0.1 now (the OS's choice), for a child process to listen on.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
