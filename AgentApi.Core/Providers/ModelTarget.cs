namespace AgentApi.Core.Providers;

/// <summary>A model at a provider, written <c>provider/model</c> in the routes file: who to call and with which model id.</summary>
/// <param name="Provider">A provider's name: a built-in one (<see cref="Routing.BuiltInProviders"/>) or one of the routes file's table.</param>
/// <param name="Model">The model id sent to that provider.</param>
public sealed record ModelTarget(string Provider, string Model)
{
    public override string ToString() => $"{Provider}/{Model}";
}
