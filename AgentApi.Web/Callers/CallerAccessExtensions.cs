using AgentApi.Core.Callers;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace AgentApi.Web.Callers;

/// <summary>Caller keys as ASP.NET Core authentication (the ask pipeline applies their limits).</summary>
internal static class CallerAccessExtensions
{
    public static IServiceCollection AddCallerAccess(this IServiceCollection services)
    {
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, configureOptions: null);
        services.AddAuthorization();
        return services;
    }

    /// <summary>Authentication and authorization middleware, and one start-up line saying who may call (a warning when anyone may).</summary>
    public static WebApplication UseCallerAccess(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<CallerOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CallerAccessExtensions).FullName!);
        if (options.IsOpen)
        {
            Log.CallersOpen(logger);
        }

        Log.CallersConfigured(logger, options.Keys.Count, options.Keys.Select(k => k.Name).Distinct(StringComparer.Ordinal).Count(),
            options.RequestsPerMinute, options.Concurrency, options.TokenBudgetPerDay, options.EffectiveCacheScope.ToString().ToLowerInvariant(),
            app.Services.GetRequiredService<ICallerLimiter>().Status.Store);

        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
