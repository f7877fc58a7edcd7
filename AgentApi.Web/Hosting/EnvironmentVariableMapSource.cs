namespace AgentApi.Web.Hosting;

/// <summary>Configuration under the keys of <see cref="EnvironmentVariableMap"/>, read from the variables in <paramref name="configuration"/>.</summary>
internal sealed class EnvironmentVariableMapSource(IConfiguration configuration) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new EnvironmentVariableMapProvider(configuration);
}
