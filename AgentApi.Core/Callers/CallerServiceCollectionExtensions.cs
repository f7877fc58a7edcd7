using AgentApi.Core.Ask;
using AgentApi.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentApi.Core.Callers;

public static class CallerServiceCollectionExtensions
{
    /// <summary>The key under which Infrastructure registers the <see cref="ICallerLimitStore"/> replicas share (Redis).</summary>
    public const string SharedStoreKey = "AgentApi.Callers.Shared";

    /// <summary>Caller keys, limits and cache scope from configuration, validated at start; the limiter that enforces them.</summary>
    public static IServiceCollection AddCallers(this IServiceCollection services)
    {
        services.AddValidatedOptions<CallerOptions, CallerOptionsValidator>(CallerOptions.Section);
        services.AddOptions<CallerOptions>().PostConfigure<ISettingNames, ISettingPaths>((options, names, paths) =>
        {
            options.ApiKeysFile = string.IsNullOrWhiteSpace(options.ApiKeysFile) ? null : paths.Resolve(options.ApiKeysFile.Trim());
            options.Keys = ReadKeys(options, names, paths);
        });

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CallerMetrics>();
        services.TryAddSingleton<MemoryLimitStore>();
        services.TryAddSingleton<ICallerLimiter>(sp => new CallerLimiter(
            sp.GetRequiredService<IOptions<CallerOptions>>(),
            sp.GetRequiredService<IOptions<AskOptions>>(),
            sp.GetRequiredService<MemoryLimitStore>(),
            sp.GetKeyedService<ICallerLimitStore>(SharedStoreKey),
            sp.GetRequiredService<CallerMetrics>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<CallerLimiter>>()));
        return services;
    }

    private static List<CallerKey> ReadKeys(CallerOptions options, ISettingNames names, ISettingPaths paths)
    {
        var keys = new List<CallerKey>(CallerKeys.FromList(options.ApiKeys, NameOf(names, nameof(CallerOptions.ApiKeys))));
        if (options.ApiKeysFile is { } file)
        {
            var setting = NameOf(names, nameof(CallerOptions.ApiKeysFile));
            keys.AddRange(CallerKeys.FromFileLines(ReadLines(file, setting, paths), setting));
        }

        return keys;
    }

    private static string[] ReadLines(string path, string setting, ISettingPaths paths)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            // The value is not echoed: a key pasted here instead of into AGENTAPI_API_KEYS would end up in the log.
            throw new InvalidSettingException(setting,
                $"must name a readable file of 'name:sha256-hex-of-key' lines (a relative path is read from {paths.BaseDirectory}).");
        }
    }

    internal static string NameOf(ISettingNames names, string property) => names.NameOf(ConfigurationPath.Combine(CallerOptions.Section, property));
}
