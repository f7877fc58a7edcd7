namespace AgentApi.Web.OpenAICompatible;

/// <summary>One model id <c>/v1</c> serves.</summary>
internal sealed record ModelEntry(string Id, long Created, string OwnedBy, string Object = "model");
