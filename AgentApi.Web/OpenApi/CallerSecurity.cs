using AgentApi.Web.Callers;
using NSwag;
using NSwag.Generation.AspNetCore;
using NSwag.Generation.Processors.Security;

namespace AgentApi.Web.OpenApi;

/// <summary>
/// Declares the caller key: as a bearer token or in <c>X-API-Key</c>, either one, on the operations that
/// require it (<c>[Authorize]</c>); open endpoints declare none.
/// </summary>
internal static class CallerSecurity
{
    private const string Bearer = "bearer";
    private const string ApiKey = "apiKey";

    public static void Configure(AspNetCoreOpenApiDocumentGeneratorSettings settings)
    {
        settings.DocumentProcessors.Add(new SecurityDefinitionAppender(Bearer, new OpenApiSecurityScheme
        {
            Type = OpenApiSecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "A caller key (AGENTAPI_API_KEYS or AGENTAPI_API_KEYS_FILE) as 'Authorization: Bearer <key>'. Not needed when the service has no keys set.",
        }));
        settings.DocumentProcessors.Add(new SecurityDefinitionAppender(ApiKey, new OpenApiSecurityScheme
        {
            Type = OpenApiSecuritySchemeType.ApiKey,
            Name = ApiKeyAuthenticationHandler.ApiKeyHeader,
            In = OpenApiSecurityApiKeyLocation.Header,
            Description = "The same caller key in the X-API-Key header.",
        }));
        settings.OperationProcessors.Add(new AspNetCoreOperationSecurityScopeProcessor(Bearer));
        settings.OperationProcessors.Add(new AspNetCoreOperationSecurityScopeProcessor(ApiKey));
    }
}
