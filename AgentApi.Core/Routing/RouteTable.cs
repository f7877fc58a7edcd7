using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AgentApi.Core.Providers;

namespace AgentApi.Core.Routing;

/// <summary>
/// The routes the orchestrator chooses from, fixed at start: the operator's <c>ROUTES_FILE</c>, or
/// <see cref="BuiltInRoutes"/>. A choice selects the executor's model, instructions and limits; an
/// unknown or missing choice, and every fallback ask, gets <see cref="Default"/>.
/// </summary>
public sealed class RouteTable
{
    private readonly FrozenDictionary<string, RouteDefinition> _byKey;

    private readonly FrozenSet<string> _providerNames;

    private RouteTable(IReadOnlyList<RouteDefinition> routes, IReadOnlyList<ProviderDefinition> providers, string? orchestrator, string source)
    {
        Routes = routes;
        Providers = providers;
        Source = source;
        Default = routes.Single(r => r.IsDefault);
        _byKey = routes.ToFrozenDictionary(r => Key(r.Name), StringComparer.Ordinal);
        _providerNames = ProviderNames(providers);
        Orchestrator = orchestrator is null ? null : Parse(orchestrator, BuiltInProviders.Orchestrator);
        Hash = ComputeHash(routes, orchestrator);
    }

    /// <summary>The providers the file adds to the built-in ones (<see cref="BuiltInProviders"/>), in file order.</summary>
    public IReadOnlyList<ProviderDefinition> Providers { get; }

    /// <summary>The orchestrator's model when the file names one; null for the built-in <c>gemini</c> provider's configured model.</summary>
    public ModelTarget? Orchestrator { get; }

    /// <summary>Where the table came from (the file and its setting), for start-up errors found later (a provider's protocol or key).</summary>
    public string Source { get; }

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
    /// <param name="providers">The file's provider table; none for the built-in providers only.</param>
    /// <param name="orchestrator">The orchestrator's <c>provider/model</c>, or null for the configured one.</param>
    public static RouteTable Create(IReadOnlyList<RouteDefinition> routes, string source, IReadOnlyList<ProviderDefinition>? providers = null, string? orchestrator = null)
    {
        providers ??= [];
        var problems = RouteTableValidator.Validate(routes, providers, orchestrator);
        return problems.Count == 0 ? new RouteTable([.. routes], [.. providers], orchestrator, source) : throw new RouteTableException(source, problems);
    }

    /// <summary>
    /// The models that answer <paramref name="route"/>, in order: its model (or <paramref name="configured"/>, the executor's configured
    /// model, when it names none), then its fallbacks.
    /// </summary>
    public IReadOnlyList<ModelTarget> TargetsOf(RouteDefinition route, ModelTarget configured)
    {
        ArgumentNullException.ThrowIfNull(route);
        var primary = route.Model is null ? configured : Parse(route.Model, BuiltInProviders.Executor);
        return [primary, .. route.Fallbacks.Select(fallback => Parse(fallback, BuiltInProviders.Executor))];
    }

    /// <summary><c>provider/model</c> when the text before the first '/' names a provider; otherwise a model id of <paramref name="bareProvider"/>.</summary>
    internal static ModelTarget Parse(string spec, string bareProvider, ISet<string> providers)
    {
        var slash = spec.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && providers.Contains(spec[..slash])
            ? new ModelTarget(spec[..slash], spec[(slash + 1)..])
            : new ModelTarget(bareProvider, spec);
    }

    private ModelTarget Parse(string spec, string bareProvider) => Parse(spec, bareProvider, _providerNames);

    internal static FrozenSet<string> ProviderNames(IEnumerable<ProviderDefinition> providers) =>
        providers.Select(p => p.Name).Append(BuiltInProviders.Executor).Append(BuiltInProviders.Orchestrator).ToFrozenSet(StringComparer.Ordinal);

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

    private static string ComputeHash(IReadOnlyList<RouteDefinition> routes, string? orchestrator)
    {
        // Length-prefixed fields, so no text can move across a field boundary.
        var builder = new StringBuilder();
        if (orchestrator is not null)
        {
            builder.Append(CultureInfo.InvariantCulture, $"orchestrator{orchestrator.Length}:").Append(orchestrator);
        }

        foreach (var route in routes)
        {
            foreach (var field in (ReadOnlySpan<string>)[
                route.Name, route.Description, route.Instructions, route.IsDefault ? "default" : string.Empty, route.Model ?? string.Empty,
                route.MaxOutputTokens?.ToString(CultureInfo.InvariantCulture) ?? string.Empty, route.Temperature?.ToString("R", CultureInfo.InvariantCulture) ?? string.Empty])
            {
                builder.Append(CultureInfo.InvariantCulture, $"{field.Length}:").Append(field);
            }

            foreach (var fallback in route.Fallbacks)
            {
                builder.Append(CultureInfo.InvariantCulture, $"fallback{fallback.Length}:").Append(fallback);
            }
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }
}
