namespace AgentApi.Core.Providers;

/// <summary>Every provider's model, by role and provider name: what a route's model and its fallbacks are called through.</summary>
public interface IChatModels
{
    /// <summary>The model client of <paramref name="provider"/> for <paramref name="role"/>, wrapped with the deadline and metrics.</summary>
    /// <exception cref="KeyNotFoundException">No such provider (the route table is validated at start, so a route never names one).</exception>
    IChatModel Find(string role, string provider);

    /// <summary>Every provider the service can call, each once, in the order health and metrics list them: the built-in ones first.</summary>
    IReadOnlyList<IChatModel> All { get; }
}
