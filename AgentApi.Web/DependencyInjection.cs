using System.Text.Json.Serialization;
using AgentApi.Core.Callers;
using AgentApi.Core.Configuration;
using AgentApi.Web.Ask;
using AgentApi.Web.Callers;
using AgentApi.Web.Diagnostics;
using AgentApi.Web.Errors;
using AgentApi.Web.Hosting;
using AgentApi.Web.OpenAICompatible;
using AgentApi.Web.OpenApi;
using AgentApi.Web.Pipeline;
using AgentApi.Web.WarmUp;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AgentApi.Web;

public static class DependencyInjection
{
    /// <summary>Registers controllers, validation, problem details, metrics export, readiness checks and the OpenAPI document.</summary>
    public static IServiceCollection AddWeb(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddControllers(options =>
            {
                // Requests are validated by their FluentValidation validators (RequestValidationFilter), not by MVC's
                // model validation: with no validator providers its visitor has nothing to walk.
                options.ModelValidatorProviders.Clear();
                options.Filters.AddService<RequestValidationFilter>(RequestValidationFilter.Order);
            })
            .AddJsonOptions(options =>
            {
                options.JsonSerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
                // {"query":"a","query":"b"} would otherwise be read as "b": a validator, a log and a proxy could each see another query.
                options.JsonSerializerOptions.AllowDuplicateProperties = false;
                options.JsonSerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
                options.JsonSerializerOptions.Encoder = JsonWire.Encoder;
            });
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Encoder = JsonWire.Encoder);
        services.Configure<ApiBehaviorOptions>(options => options.InvalidModelStateResponseFactory = ValidationProblems.Create);
        services.AddSingleton<RequestValidationFilter>();
        // Singletons: the validators hold no state, and building one builds its rules (expression trees),
        // which per request (the default scoped lifetime) showed in the ask's profile (docs/decisions/0010).
        services.AddValidatorsFromAssemblyContaining<AskRequestValidator>(ServiceLifetime.Singleton, includeInternalTypes: true);

        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            FrameworkProblems.Complete(context);
            context.ProblemDetails.Extensions["requestId"] = context.HttpContext.TraceIdentifier;

            // The framework's traceId is the whole traceparent; tracing tools search by the trace ID alone.
            if (RequestTrace.TraceIdOf(context.HttpContext) is { } traceId)
            {
                context.ProblemDetails.Extensions["traceId"] = traceId;
            }
            else
            {
                context.ProblemDetails.Extensions.Remove("traceId");
            }
        });
        // Asked after /v1's OpenAI writer (inserted first) and before the framework's and MVC's.
        services.Insert(0, ServiceDescriptor.Singleton<IProblemDetailsWriter, ProblemJsonWriter>());
        services.AddSingleton<ProblemDetailsExceptionHandler>();
        services.AddSingleton<IExceptionHandler>(provider => provider.GetRequiredService<ProblemDetailsExceptionHandler>());
        services.AddSingleton<AskPipeline>();
        services.AddSingleton<ServiceInfo>();
        services.AddSingleton<ProviderEndpoints>();
        services.AddHostedService<StartupReport>();
        services.AddObservability(configuration);
        services.AddCorsFromSettings(configuration);
        services.AddCallerAccess();
        services.AddValidatedOptions<AskStreamOptions, AskStreamOptionsValidator>(AskStreamOptions.Section);
        services.AddOpenAICompatible();
        services.AddValidatedOptions<WarmUpOptions, WarmUpOptionsValidator>(WarmUpOptions.Section);
        services.AddSingleton<WarmUpState>();
        services.AddHostedService<WarmUpService>();

        services.AddOpenApiDocument(OpenApiContract.ConfigureDocument);
        return services;
    }

    /// <summary>The request pipeline: security headers, request ID, logging scope and timing first, then errors, Host checks, CORS, docs, controllers, <c>/metrics</c> and <c>/healthz/ready</c>.</summary>
    public static WebApplication UseWeb(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseMiddleware<RequestContextMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<HostHeaderMiddleware>();
        app.UseCors();
        if (app.Services.GetRequiredService<IOptions<CallerOptions>>().Value.DocsEnabled)
        {
            // Only requests for the document or the UI pass through their five middlewares (each checks the path);
            // an ask passes one check here.
            app.UseWhen(OpenApiContract.IsDocsRequest, docs =>
            {
                docs.Use(OpenApiContract.PlaceholderForEmptyHost);
                docs.UseOpenApi(OpenApiContract.ConfigureDocumentEndpoint);
                docs.UseSwaggerUi(OpenApiContract.ConfigureSwaggerUi);
            });
        }

        app.UseCallerAccess();
        app.MapControllers();
        app.MapObservability();
        return app;
    }
}
