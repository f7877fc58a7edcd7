using AgentApi.Core;
using AgentApi.Infrastructure;
using AgentApi.Web;
using AgentApi.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddDotEnvFile();
builder.AddEnvironmentVariableMap();
builder.AddNLogLogging();
builder.UseDefaultAddress("http://127.0.0.1:8000");

builder.Services
    .AddCore()
    .AddInfrastructure(builder.Configuration)
    .AddWeb();

var app = builder.Build();
app.UseWeb();
app.Run();

/// <summary>Entry point; public for <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
