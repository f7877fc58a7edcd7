using AgentApi.Core.Diagnostics;

namespace AgentApi.Core.Providers;

/// <summary>
/// Wraps a provider's model the way every ask calls it, like Microsoft.Extensions.AI's
/// <c>ChatClientBuilder</c>: metrics outermost, then the deadline, then the provider.
/// </summary>
public static class ChatModelPipeline
{
    public static IChatModel Build(IChatModel provider, AgentApiMetrics metrics, TimeProvider timeProvider) =>
        new MeteredChatModel(new DeadlineChatModel(provider, timeProvider), metrics, timeProvider);
}
