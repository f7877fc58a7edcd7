using AgentApi.Core.Configuration;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Configuration;

namespace AgentApi.Infrastructure.Caching;

/// <summary>The Redis connection in use: the configuration key it came from (to name it in errors) and its value.</summary>
internal sealed record RedisSetting(string Key, string Value)
{
    private const string InstanceName = "agentapi:";

    /// <summary><see cref="RedisOptions.Url"/> wins over the connection string; null when neither is set.</summary>
    public static RedisSetting? Read(IConfiguration configuration)
    {
        var urlKey = ConfigurationPath.Combine(RedisOptions.Section, nameof(RedisOptions.Url));
        var connectionStringKey = ConfigurationPath.Combine("ConnectionStrings", RedisOptions.ConnectionStringName);
        return Trimmed(configuration[urlKey]) is { } url ? new(urlKey, url)
            : Trimmed(configuration[connectionStringKey]) is { } connectionString ? new(connectionStringKey, connectionString)
            : null;
    }

    public void Configure(RedisCacheOptions options, ISettingNames names)
    {
        options.ConfigurationOptions = RedisConfiguration.Parse(Value, names.NameOf(Key));
        options.InstanceName = InstanceName;
    }

    /// <summary>The value may be a password: never in a log line or record print-out.</summary>
    public override string ToString() => Key;

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
