using System.Text.Json.Serialization;
using AgentApi.Web.Ask;
using AgentApi.Web.Diagnostics;
using AgentApi.Web.Errors;
using AgentApi.Web.Hosting;
using AgentApi.Web.OpenAICompatible;
using AgentApi.Web.OpenApi;
using FluentValidation;
using FluentValidation.AspNetCore;
using Microsoft.AspNetCore.Mvc;

namespace AgentApi.Web;

public static class DependencyInjection
{
    /// <summary>Registers controllers, validation, problem details, metrics export, readiness checks and the OpenAPI document.</summary>
    public static IServiceCollection AddWeb(this IServiceCollection services)
    {
        services.AddControllers()
            .AddJsonOptions(options =>
            {
                options.JsonSerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
                options.JsonSerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
            });
        services.Configure<ApiBehaviorOptions>(options => options.InvalidModelStateResponseFactory = ValidationProblems.Create);
        services.AddFluentValidationAutoValidation(options => options.DisableDataAnnotationsValidation = true);
        services.AddValidatorsFromAssemblyContaining<AskRequestValidator>(includeInternalTypes: true);

        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            ProblemTypes.ReplaceFrameworkDefault(context.ProblemDetails);
            context.ProblemDetails.Extensions["requestId"] = context.HttpContext.TraceIdentifier;
            context.ProblemDetails.Extensions.Remove("traceId");
        });
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        services.AddSingleton<ServiceInfo>();
        services.AddObservability();
        services.AddOpenAICompatible();

        services.AddOpenApiDocument(OpenApiContract.ConfigureDocument);
        return services;
    }

    /// <summary>The request pipeline: request ID, logging scope and timing first, then errors, docs, controllers, <c>/metrics</c> and <c>/healthz/ready</c>.</summary>
    public static WebApplication UseWeb(this WebApplication app)
    {
        app.UseMiddleware<RequestContextMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseOpenApi(OpenApiContract.ConfigureDocumentEndpoint);
        app.UseSwaggerUi(OpenApiContract.ConfigureSwaggerUi);
        app.MapControllers();
        app.MapObservability();
        return app;
    }
}
