using AgentApi.Web.Home;
using AgentApi.Web.Hosting;
using NSwag.AspNetCore;
using NSwag.Generation.AspNetCore;

namespace AgentApi.Web.OpenApi;

/// <summary>
/// How the OpenAPI document is built and served. The document is the contract callers generate
/// clients from: it is committed as <c>AgentApi.Web/openapi.json</c> and a test fails when the served
/// document drifts from it.
/// </summary>
internal static class OpenApiContract
{
    public const string DocumentName = "v1";

    private const string Description =
        "Orchestrated LLM answers: a small orchestrator model (Gemma) routes the query and writes a focused prompt, "
        + "a stronger executor model answers it with the model, instructions and limits of the chosen route (`GET /api/routes`). "
        + "Identical questions are answered from a cache.\n\n"
        + "Every response carries an `X-Request-ID` header (the caller's own ID when it sends a sane one). "
        + "Errors are RFC 9457 problem details (`application/problem+json`) whose `type` is a stable "
        + "`urn:agentapi:problem:*` URI and whose `requestId` matches the header.";

    private const string SwaggerUiPath = "/docs";

    private static readonly string DocumentPathTemplate = HomeController.OpenApiPath.Replace(DocumentName, "{documentName}", StringComparison.Ordinal);

    public static void ConfigureDocument(AspNetCoreOpenApiDocumentGeneratorSettings settings)
    {
        settings.DocumentName = DocumentName;
        settings.Title = ServiceInfo.Name;
        // The service's version (Directory.Build.props), so the contract, GET / and the start-up log never disagree.
        settings.Version = ServiceInfo.AssemblyVersion;
        settings.Description = Description;
        // Route names (`[HttpPost("ask", Name = "Ask")]`) become operationIds and so client method names (AskAsync).
        settings.UseRouteNameAsOperationId = true;
        settings.SchemaSettings.SchemaProcessors.Add(new ConstructorParametersRequiredProcessor());
        settings.OperationProcessors.Add(new DeclaredContentTypeProcessor());
        settings.OperationProcessors.Add(new ServerSentEventsProcessor());
        settings.OperationProcessors.Add(new ResponseHeadersProcessor());
        settings.OperationProcessors.Add(new ProblemExamplesProcessor());
        settings.DocumentProcessors.Add(new ProblemDetailsSchemaProcessor());
        settings.DocumentProcessors.Add(new MappedEndpointsProcessor());
        CallerSecurity.Configure(settings);
    }

    public static void ConfigureDocumentEndpoint(OpenApiDocumentMiddlewareSettings settings)
    {
        settings.Path = DocumentPathTemplate;
        // NSwag adds the address the request came in on; the committed contract must not depend on the machine.
        settings.PostProcess = (document, _) => document.Servers.Clear();
    }

    /// <summary>
    /// NSwag builds a server URL from <c>Host</c> before <see cref="ConfigureDocumentEndpoint"/> clears it, and an
    /// empty <c>Host</c> (HTTP/1.0) makes that throw; malformed ones never get here (<see cref="HostHeaderMiddleware"/>).
    /// The placeholder never reaches the document.
    /// </summary>
    public static Task PlaceholderForEmptyHost(HttpContext context, RequestDelegate next)
    {
        if (!context.Request.Host.HasValue && context.Request.Path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase))
        {
            context.Request.Host = new HostString("localhost");
        }

        return next(context);
    }

    /// <summary>A request for the OpenAPI document or the Swagger UI (its page, assets and redirect).</summary>
    public static bool IsDocsRequest(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase)
        || context.Request.Path.StartsWithSegments(SwaggerUiPath, StringComparison.OrdinalIgnoreCase);

    public static void ConfigureSwaggerUi(SwaggerUiSettings settings)
    {
        settings.Path = SwaggerUiPath;
        settings.DocumentPath = DocumentPathTemplate;
        // Opened fully collapsed ("none", the default), the page shows a newcomer no endpoint at all.
        settings.DocExpansion = "list";
    }
}
