using AgentApi.Core.Providers;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace AgentApi.Web.Health;

/// <summary>
/// Registers a <see cref="ProviderReadinessCheck"/> per provider of each role, known only once the routes file is read: the
/// role's configured provider under the role's name (<c>executor</c>), every other one as <c>role:provider</c>.
/// </summary>
internal sealed class ProviderReadinessRegistrations(
    IChatModels models,
    [FromKeyedServices(ModelRole.Orchestrator)] IChatModel orchestrator,
    [FromKeyedServices(ModelRole.Executor)] IChatModel executor) : IConfigureOptions<HealthCheckServiceOptions>
{
    public void Configure(HealthCheckServiceOptions options)
    {
        foreach (var model in models.All)
        {
            var info = model.Info;
            var name = ReferenceEquals(model, orchestrator) || ReferenceEquals(model, executor) ? info.Role : $"{info.Role}:{info.Provider}";
            options.Registrations.Add(new HealthCheckRegistration(name, _ => new ProviderReadinessCheck(model), failureStatus: null, tags: null));
        }
    }
}
