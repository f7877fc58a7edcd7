using AgentApi.Core.Configuration;
using AgentApi.Web.Errors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Primitives;

namespace AgentApi.Web.Hosting;

/// <summary>
/// Answers a malformed <c>Host</c> header, or one <c>ALLOWED_HOSTS</c> does not list, with a 400 problem
/// before anything builds a URL from it (NSwag's server URL threw <see cref="UriFormatException"/>: a 500
/// and a stack trace per request). ASP.NET's own host filtering answers with an HTML page outside the
/// pipeline, so it stays at its default (<c>*</c>) and this middleware does the filtering instead.
/// </summary>
/// <remarks>
/// An empty <c>Host</c> is let through unless <c>ALLOWED_HOSTS</c> is set: HTTP/1.0 health checkers send none.
/// </remarks>
internal sealed class HostHeaderMiddleware
{
    private readonly RequestDelegate _next;
    private readonly IProblemDetailsService _problems;
    private readonly List<StringSegment>? _allowed;

    public HostHeaderMiddleware(RequestDelegate next, IProblemDetailsService problems, IConfiguration configuration)
    {
        _next = next;
        _problems = problems;
        _allowed = ParseAllowedHosts(HostingOptions.Read(configuration).AllowedHosts);
    }

    public Task InvokeAsync(HttpContext context)
    {
        var host = context.Request.Host;
        if (!host.HasValue)
        {
            return _allowed is null ? _next(context) : RejectAsync(context, "The request has no Host header, and this service answers only the hosts it is configured for.");
        }

        if (!IsWellFormed(host))
        {
            return RejectAsync(context, "The Host header is malformed.");
        }

        return _allowed is null || HostString.MatchesAny(host.Host, _allowed)
            ? _next(context)
            : RejectAsync(context, "The Host header names a host this service does not answer for.");
    }

    /// <summary>A host name or IP address, with an optional port from 1 to 65535: what a URL can be built from.</summary>
    internal static bool IsWellFormed(HostString host) =>
        Uri.TryCreate($"http://{host.Value}/", UriKind.Absolute, out var uri)
        && uri.HostNameType is not UriHostNameType.Unknown
        && string.IsNullOrEmpty(uri.UserInfo)
        && uri.AbsolutePath == "/"
        && uri.Port is > 0 and <= 65535;

    /// <summary><c>ALLOWED_HOSTS</c>: host names separated by <c>;</c> or <c>,</c>, <c>*.example.com</c> for subdomains; unset or <c>*</c> allows any.</summary>
    internal static List<StringSegment>? ParseAllowedHosts(string? setting)
    {
        if (setting is null)
        {
            return null;
        }

        var hosts = setting.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (hosts.Contains("*"))
        {
            return null;
        }

        foreach (var host in hosts)
        {
            var name = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
            if (Uri.CheckHostName(name) is UriHostNameType.Unknown)
            {
                throw new InvalidSettingException(HostingOptions.NameOf(nameof(HostingOptions.AllowedHosts)),
                    "must list host names (example.com, *.example.com) or IP addresses, without scheme, port or path, separated by ';'.");
            }
        }

        return hosts.Length == 0 ? null : [.. hosts.Select(h => new StringSegment(h))];
    }

    private Task RejectAsync(HttpContext context, string detail)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return _problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status400BadRequest,
                Type = ProblemTypes.BadRequest,
                Title = "Bad request",
                Detail = detail,
            },
        }).AsTask();
    }
}
