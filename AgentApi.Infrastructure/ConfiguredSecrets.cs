using AgentApi.Core.Callers;
using AgentApi.Core.Configuration;
using AgentApi.Infrastructure.Caching;
using AgentApi.Infrastructure.Providers;
using Microsoft.Extensions.Configuration;

namespace AgentApi.Infrastructure;

/// <summary>The secrets in the settings, for the log redaction: both providers' keys, the caller keys and the Redis password.</summary>
public static class ConfiguredSecrets
{
    public static IEnumerable<string> Read(IConfiguration configuration)
    {
        foreach (var section in new[] { OrchestratorOptions.Section, ExecutorOptions.Section })
        {
            if (configuration[ConfigurationPath.Combine(section, nameof(ProviderOptions.ApiKey))] is { Length: > 0 } key)
            {
                yield return key.Trim();
            }
        }

        // Caller keys in clear (a key file holds only their hashes).
        var callerKeys = configuration[ConfigurationPath.Combine(CallerOptions.Section, nameof(CallerOptions.ApiKeys))];
        foreach (var key in callerKeys?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [])
        {
            yield return key;
        }

        if (RedisSetting.Read(configuration) is not { } redis)
        {
            yield break;
        }

        string? password;
        try
        {
            password = RedisConfiguration.Parse(redis.Value, redis.Key).Password;
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
