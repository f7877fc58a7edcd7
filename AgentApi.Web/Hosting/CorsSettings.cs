using AgentApi.Core.Configuration;
using AgentApi.Web.Diagnostics;
using Microsoft.Net.Http.Headers;

namespace AgentApi.Web.Hosting;

/// <summary>
/// CORS is closed (no browser on another origin may read an answer) unless <c>CORS_ORIGINS</c> lists the
/// origins that may, e.g. <c>https://app.example.com;http://localhost:5173</c>.
/// </summary>
internal static class CorsSettings
{
    public static IServiceCollection AddCorsFromSettings(this IServiceCollection services, IConfiguration configuration)
    {
        var origins = ParseOrigins(HostingOptions.Read(configuration).CorsOrigins);
        services.AddCors(options => options.AddDefaultPolicy(policy =>
        {
            if (origins.Length == 0)
            {
                return; // an empty policy answers no preflight and adds no Access-Control-Allow-Origin
            }

            policy.WithOrigins(origins)
                .WithMethods(HttpMethods.Get, HttpMethods.Post)
                .WithHeaders(HeaderNames.ContentType, HeaderNames.CacheControl, RequestId.HeaderName)
                .WithExposedHeaders(RequestId.HeaderName, HeaderNames.RetryAfter, "Server-Timing")
                .SetPreflightMaxAge(TimeSpan.FromHours(1));
        }));
        return services;
    }

    /// <summary>Each origin is <c>scheme://host[:port]</c>, nothing more; separated by <c>;</c> or <c>,</c>.</summary>
    internal static string[] ParseOrigins(string? setting)
    {
        var origins = setting?.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        foreach (var origin in origins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)
                || uri.Scheme is not ("http" or "https")
                || !string.Equals(uri.GetLeftPart(UriPartial.Authority), origin.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidSettingException(HostingOptions.NameOf(nameof(HostingOptions.CorsOrigins)),
                    "must list origins such as https://app.example.com (scheme, host and optional port; no path), separated by ';'.");
            }
        }

        return [.. origins.Select(o => o.TrimEnd('/'))];
    }
}
