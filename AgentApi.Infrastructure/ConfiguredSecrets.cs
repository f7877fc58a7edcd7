using AgentApi.Core.Configuration;
using AgentApi.Infrastructure.Caching;
using Microsoft.Extensions.Configuration;

namespace AgentApi.Infrastructure;

/// <summary>The secrets in Infrastructure's settings, for the log redaction: both providers' keys and the Redis password.</summary>
public static class ConfiguredSecrets
{
    public static IEnumerable<string> Read(IConfiguration configuration)
    {
        foreach (var variable in new[] { EnvironmentVariables.GemmaApiKey, EnvironmentVariables.OpenAIApiKey })
        {
            if (SettingReader.GetString(configuration, variable) is { } key)
            {
                yield return key;
            }
        }

        var redis = SettingReader.GetString(configuration, EnvironmentVariables.RedisUrl) is { } url
            ? (EnvironmentVariables.RedisUrl, url)
            : configuration.GetConnectionString("Redis") is { Length: > 0 } connectionString ? (EnvironmentVariables.RedisConnectionString, connectionString.Trim()) : default;
        if (redis.Item2 is null)
        {
            yield break;
        }

        string? password;
        try
        {
            password = RedisConfiguration.Parse(redis.Item2, redis.Item1).Password;
        }
        catch (InvalidSettingException)
        {
            yield break; // start-up validation reports it, without the value
        }

        if (!string.IsNullOrEmpty(password))
        {
            yield return password;
        }
    }
}
