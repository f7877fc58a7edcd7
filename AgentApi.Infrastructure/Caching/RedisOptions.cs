namespace AgentApi.Infrastructure.Caching;

/// <summary>
/// Redis as the shared second tier of the answer cache, bound from the <c>Redis</c> section. Without
/// <see cref="Url"/> the connection string <c>Redis</c> is used; without either the cache stays in memory.
/// </summary>
public sealed class RedisOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string Section = "Redis";

    /// <summary>The connection-string name read when <see cref="Url"/> is not set.</summary>
    public const string ConnectionStringName = "Redis";

    /// <summary>
    /// A <c>redis://</c> or <c>rediss://</c> URL (<c>redis://[user][:password@]host[:port][/db]</c>) or a
    /// StackExchange.Redis configuration string (<c>host:port,password=…,ssl=true</c>).
    /// </summary>
    public string? Url { get; set; }
}
