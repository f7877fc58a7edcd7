namespace AgentApi.Tests.Fakes;

/// <summary>
/// A request as the fake server received it. <paramref name="Headers"/> has lower-cased names (lookups ignore
/// case); repeated headers are joined with ", ". <paramref name="QueryString"/> is raw, with its leading '?'.
/// </summary>
public sealed record RecordedRequest(
    string Method,
    string Path,
    string QueryString,
    IReadOnlyDictionary<string, string> Headers,
    string Body);
