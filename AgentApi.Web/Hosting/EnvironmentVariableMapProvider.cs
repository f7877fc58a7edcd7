namespace AgentApi.Web.Hosting;

/// <summary>
/// Answers each mapped key (<c>Ask:RequestTimeoutSeconds</c>) with its variable (<c>REQUEST_TIMEOUT_SECONDS</c>)
/// as <paramref name="configuration"/> holds it when asked. Reading on demand rather than copying at start keeps
/// every source's precedence: the real environment over <c>.env</c>, and settings a test host adds later.
/// </summary>
internal sealed class EnvironmentVariableMapProvider(IConfiguration configuration) : ConfigurationProvider
{
    public override bool TryGet(string key, out string? value)
    {
        value = EnvironmentVariableMap.Find(key)?.Read(configuration);
        return value is not null;
    }

    public override IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath)
    {
        var prefix = parentPath is null ? string.Empty : parentPath + ConfigurationPath.KeyDelimiter;
        var keys = new List<string>(earlierKeys);
        foreach (var variable in EnvironmentVariableMap.Variables)
        {
            if (variable.Key.Length > prefix.Length && variable.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && variable.IsSet(configuration))
            {
                var rest = variable.Key[prefix.Length..];
                var end = rest.IndexOf(ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);
                keys.Add(end < 0 ? rest : rest[..end]);
            }
        }

        keys.Sort(ConfigurationKeyComparer.Instance);
        return keys;
    }
}
