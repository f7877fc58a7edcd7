using System.Globalization;
using System.Net;
using AgentApi.Core.Configuration;
using StackExchange.Redis;

namespace AgentApi.Infrastructure.Caching;

/// <summary>
/// Turns the Redis setting (<see cref="RedisOptions.Url"/> or the connection string) into client options: a <c>redis://</c> or
/// <c>rediss://</c> URL (<c>redis://[user][:password@]host[:port][/db]</c>) or a StackExchange.Redis string
/// (<c>host:port,password=…,ssl=true</c>). Errors name the setting, never the value, which may hold a password.
/// </summary>
internal static class RedisConfiguration
{
    private const int DefaultPort = 6379;

    public static ConfigurationOptions Parse(string value, string setting)
    {
        var isUrl = value.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase);
        if (!isUrl && value.Contains("://", StringComparison.Ordinal))
        {
            throw Invalid(setting);
        }

        var options = isUrl ? FromUrl(value, setting) : FromConfigurationString(value, setting);
        ApplyFailFastDefaults(options, isUrl ? string.Empty : value);
        return options;
    }

    /// <summary>Endpoints for the log, without credentials.</summary>
    public static string DescribeEndpoints(ConfigurationOptions options) =>
        string.Join(", ", options.EndPoints.Select(endpoint => endpoint switch
        {
            DnsEndPoint dns => string.Create(CultureInfo.InvariantCulture, $"{dns.Host}:{dns.Port}"),
            _ => endpoint.ToString() ?? string.Empty,
        }));

    /// <summary>
    /// A cache must never make an ask wait on a sick Redis. The client defaults (5 s timeouts, queueing while
    /// disconnected) cost 5 s per call with Redis down; these cost about 0.1 ms down and at most 0.5 s when
    /// Redis accepts connections but does not answer. Settings written in a StackExchange.Redis string win.
    /// </summary>
    private static void ApplyFailFastDefaults(ConfigurationOptions options, string configurationString)
    {
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ReconnectRetryPolicy = new ExponentialRetry(500, 5000);

        // Async timeouts are only checked on the heartbeat (default 1 s).
        options.HeartbeatInterval = TimeSpan.FromMilliseconds(250);
        if (!Mentions(configurationString, "connectTimeout"))
        {
            options.ConnectTimeout = 1000;
        }

        if (!Mentions(configurationString, "connectRetry"))
        {
            options.ConnectRetry = 1;
        }

        if (!Mentions(configurationString, "syncTimeout"))
        {
            options.SyncTimeout = 500;
        }

        if (!Mentions(configurationString, "asyncTimeout"))
        {
            options.AsyncTimeout = 500;
        }

        if (!Mentions(configurationString, "name"))
        {
            options.ClientName = "agentapi";
        }
    }

    private static ConfigurationOptions FromUrl(string value, string setting)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw Invalid(setting);
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new InvalidSettingException(setting, "takes no query string: for more client options use the StackExchange.Redis form, e.g. 'host:6379,password=…,ssl=true'.");
        }

        var options = new ConfigurationOptions { Ssl = string.Equals(uri.Scheme, "rediss", StringComparison.OrdinalIgnoreCase) };
        var port = uri.Port > 0 ? uri.Port : DefaultPort;
        var host = uri.DnsSafeHost;
        options.EndPoints.Add(IPAddress.TryParse(host, out var address) ? new IPEndPoint(address, port) : new DnsEndPoint(host, port));

        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            var user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            options.User = user.Length > 0 ? user : null;
            options.Password = colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }

        var database = uri.AbsolutePath.Trim('/');
        if (database.Length > 0)
        {
            options.DefaultDatabase = int.TryParse(database, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw new InvalidSettingException(setting, "must end in a database number (e.g. redis://host:6379/0) or no path at all.");
        }

        return options;
    }

    private static ConfigurationOptions FromConfigurationString(string value, string setting)
    {
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(value);
        }
        catch (ArgumentException)
        {
            throw Invalid(setting);
        }

        return options.EndPoints.Count > 0 ? options : throw Invalid(setting);
    }

    private static bool Mentions(string configurationString, string option) =>
        configurationString.Split(',').Any(part =>
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            return equals > 0 && part.AsSpan(0, equals).Trim().Equals(option, StringComparison.OrdinalIgnoreCase);
        });

    private static InvalidSettingException Invalid(string setting) => new(
        setting,
        "must be a redis:// or rediss:// URL (redis://[:password@]host[:port][/db]) or a StackExchange.Redis configuration such as 'host:6379,password=…'.");
}
