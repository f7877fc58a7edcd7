using System.Security.Claims;
using System.Text.Encodings.Web;
using AgentApi.Core.Callers;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AgentApi.Web.Callers;

/// <summary>
/// Authenticates a caller by the key in <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-API-Key: &lt;key&gt;</c>
/// against the configured hashes. A missing, malformed or wrong key all get the same 401, so an answer
/// never tells which one it was. With no keys configured, everyone is the <c>anonymous</c> caller, counted
/// per client address.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptions<CallerOptions> callers)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string ApiKeyHeader = "X-API-Key";
    private const string BearerPrefix = "Bearer ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var options = callers.Value;
        Caller caller;
        if (Context.Features.Get<CallerFeature>() is { Caller.Kind: CallerKind.WarmUp } known)
        {
            // Only the outermost middleware sets it before this handler: the instance's own warm-up, which holds no key.
            caller = known.Caller;
        }
        else if (options.IsOpen)
        {
            caller = Caller.Anonymous(Context.Connection.RemoteIpAddress?.ToString());
        }
        else
        {
            var name = PresentedKey(Request.Headers) is { } key ? CallerKeys.Match(options.Keys, key) : null;
            if (name is null)
            {
                // The reason stays inside: the response and the log line are the same for every failure.
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            caller = Caller.Keyed(name);
        }

        var scope = options.EffectiveCacheScope == CacheScope.Caller && caller.Kind != CallerKind.WarmUp ? caller.Partition : null;
        Context.Features.Set(new CallerFeature(caller, scope));
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, caller.Name)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Log.CallerUnauthorized(Logger, Diagnostics.LogText.Cut(Request.Method), Diagnostics.LogText.Cut(Request.Path.ToString()));
        return CallerProblems.WriteUnauthorizedAsync(Context);
    }

    /// <summary>The key from <c>Authorization: Bearer</c>, else from <c>X-API-Key</c>; null when neither holds one.</summary>
    private static string? PresentedKey(IHeaderDictionary headers)
    {
        var authorization = headers[HeaderNames.Authorization].ToString();
        if (authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var token = authorization[BearerPrefix.Length..].Trim();
            return token.Length > 0 ? token : null;
        }

        var apiKey = headers[ApiKeyHeader];
        return apiKey.Count == 1 && apiKey[0] is { Length: > 0 } value ? value.Trim() : null;
    }
}
