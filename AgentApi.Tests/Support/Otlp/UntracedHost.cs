using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace AgentApi.Tests.Support.Otlp;

/// <summary>
/// Keeps a test's own servers (the fake providers, the OTLP receiver) out of AgentApi's traces. They run in the test
/// process, where a traced AgentApi's tracer provider listens to every ASP.NET Core host's activity source and
/// diagnostic listener by name: each host gets sources of its own name instead, which nobody listens to. A real
/// provider's spans never reach AgentApi's collector either; the receiver's would trace every export, forever.
/// </summary>
public static class UntracedHost
{
    private const string Name = "AgentApi.Tests.Untraced";

    public static IServiceCollection AddUntracedHosting(this IServiceCollection services)
    {
        // Registered after the host's own TryAdd registrations (or before them, which then add nothing): the last wins.
        services.AddSingleton(new ActivitySource(Name));
        services.AddSingleton(new DiagnosticListener(Name));
        return services;
    }
}
