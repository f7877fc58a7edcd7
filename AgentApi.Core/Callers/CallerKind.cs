namespace AgentApi.Core.Callers;

/// <summary>What kind of caller an ask comes from.</summary>
public enum CallerKind
{
    /// <summary>A caller with a key.</summary>
    Key,

    /// <summary>Anyone, when the service has no keys: counted per client address.</summary>
    Anonymous,

    /// <summary>The instance's own warm-up before it reports ready.</summary>
    WarmUp,
}
