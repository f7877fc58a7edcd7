namespace AgentApi.Core.Routing;

/// <summary>
/// A route table that cannot be used. The message names the file, each route at fault and its problem,
/// all at once, so an operator fixes the file in one restart.
/// </summary>
public sealed class RouteTableException(string source, IReadOnlyList<string> problems)
    : Exception($"{source}: {string.Join("; ", problems)}")
{
    /// <summary>Where the table came from: the file and the setting that named it.</summary>
    public string Origin { get; } = source;

    /// <summary>Each problem found, with the route it belongs to.</summary>
    public IReadOnlyList<string> Problems { get; } = problems;
}
