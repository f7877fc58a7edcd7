namespace AgentApi.Core.Callers;

/// <summary>A caller's key as the service holds it: a name and the SHA-256 of the key, never the key itself.</summary>
public sealed record CallerKey(string Name, byte[] Sha256);
