using AgentApi.Core;
using AgentApi.Infrastructure;
using AgentApi.Web;
using AgentApi.Web.Diagnostics;
using AgentApi.Web.Hosting;

try
{
    var builder = WebApplication.CreateBuilder(args);
    var settings = builder.AddDotEnvFile();
    builder.AddEnvironmentVariableMap();
    builder.AddNLogLogging(settings);
    builder.AddLogSafety();
    builder.UseDefaultAddress("http://127.0.0.1:8000");
    builder.UseKestrelHardening();

    builder.Services
        .AddCore()
        .AddInfrastructure(builder.Configuration)
        .AddWeb(builder.Configuration);

    var app = builder.Build();
    app.ValidateSettings();
    app.UseWeb();
    app.Run();
    return 0;
}
catch (Exception ex) when (ConfigurationError.EndsProcess(ex))
{
    return ConfigurationError.Report(ex);
}

/// <summary>Entry point; public for <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
