namespace AgentApi.Core.Routing;

/// <summary>Where the route table comes from, bound from the <c>Routes</c> section.</summary>
public sealed class RouteTableOptions
{
    public const string Section = "Routes";

    /// <summary>A JSON route table; the built-in table when unset. Once read, the absolute path (a relative one resolved by <see cref="Configuration.ISettingPaths"/>).</summary>
    public string? File { get; set; }

    /// <summary>The table read from <see cref="File"/> at start.</summary>
    public RouteTable? Table { get; internal set; }
}
