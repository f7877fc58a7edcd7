using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AgentApi.Core.Routing;

/// <summary>
/// The routes the orchestrator chooses from, fixed at start: the operator's <c>ROUTES_FILE</c>, or
/// <see cref="BuiltInRoutes"/>. A choice selects the executor's model, instructions and limits; an
/// unknown or missing choice, and every fallback ask, gets <see cref="Default"/>.
/// </summary>
public sealed class RouteTable
{
    private readonly FrozenDictionary<string, RouteDefinition> _byKey;

    private RouteTable(IReadOnlyList<RouteDefinition> routes)
    {
        Routes = routes;
        Default = routes.Single(r => r.IsDefault);
        _byKey = routes.ToFrozenDictionary(r => Key(r.Name), StringComparer.Ordinal);
        Hash = ComputeHash(routes);
    }

    /// <summary>The routes in the order the orchestrator's prompt lists them.</summary>
    public IReadOnlyList<RouteDefinition> Routes { get; }

    /// <summary>The route for unknown or missing choices and for asks the orchestrator could not plan.</summary>
    public RouteDefinition Default { get; }

    /// <summary>
    /// SHA-256 (hex) of the table's content: every field of every route, in order. Part of the cache key,
    /// so answers made under other routes are never served; white space and comments in the file do not count.
    /// </summary>
    public string Hash { get; }

    /// <summary>Validates <paramref name="routes"/> and builds the table.</summary>
    /// <param name="routes">The routes, in prompt order.</param>
    /// <param name="source">Names where the routes came from in the error message, e.g. the file and its setting.</param>
    /// <exception cref="RouteTableException">The routes break a rule of <see cref="RouteTableValidator"/>; the message lists every problem.</exception>
    public static RouteTable Create(IReadOnlyList<RouteDefinition> routes, string source)
    {
        var problems = RouteTableValidator.Validate(routes);
        return problems.Count == 0 ? new RouteTable([.. routes]) : throw new RouteTableException(source, problems);
    }

    /// <summary>Finds the route the orchestrator chose: names match ignoring case, surrounding space, '-', '_' and spaces.</summary>
    public bool TryFind(string? choice, [NotNullWhen(true)] out RouteDefinition? route)
    {
        route = null;
        return !string.IsNullOrWhiteSpace(choice) && choice.Length <= RouteTableValidator.MaxNameLength * 2 && _byKey.TryGetValue(Key(choice), out route);
    }

    /// <summary>The chosen route, or <see cref="Default"/> when the choice is unknown or missing.</summary>
    public RouteDefinition Select(string? choice) => TryFind(choice, out var route) ? route : Default;

    /// <summary>"Small-Talk", "small_talk" and "smalltalk " are the same route: a small model is loose with spelling.</summary>
    internal static string Key(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name.Trim().Trim('"', '\'', '`'))
        {
            if (c is not ('-' or '_') && !char.IsWhiteSpace(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }

    private static string ComputeHash(IReadOnlyList<RouteDefinition> routes)
    {
        // Length-prefixed fields, so no text can move across a field boundary.
        var builder = new StringBuilder();
        foreach (var route in routes)
        {
            foreach (var field in (ReadOnlySpan<string>)[
                route.Name, route.Description, route.Instructions, route.IsDefault ? "default" : string.Empty, route.Model ?? string.Empty,
                route.MaxOutputTokens?.ToString(CultureInfo.InvariantCulture) ?? string.Empty, route.Temperature?.ToString("R", CultureInfo.InvariantCulture) ?? string.Empty])
            {
                builder.Append(CultureInfo.InvariantCulture, $"{field.Length}:").Append(field);
            }
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }
}
