using AgentApi.Core;
using AgentApi.Infrastructure;
using AgentApi.Web;
using AgentApi.Web.Diagnostics;
using AgentApi.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddDotEnvFile();
builder.AddNLogLogging();
builder.AddLogSafety();
builder.UseDefaultAddress("http://127.0.0.1:8000");
builder.UseKestrelHardening();

builder.Services
    .AddCore(builder.Configuration)
    .AddInfrastructure(builder.Configuration)
    .AddWeb(builder.Configuration);

var app = builder.Build();
app.UseWeb();
app.Run();

/// <summary>Entry point; public for <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
