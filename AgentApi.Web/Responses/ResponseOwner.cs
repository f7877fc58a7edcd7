using AgentApi.Core.Callers;
using AgentApi.Web.Callers;

namespace AgentApi.Web.Responses;

/// <summary>
/// Whose stored responses a request sees: the caller key's. With caller keys off every caller is anonymous and there is
/// one owner for all of them, not one per client address (addresses change behind NATs, proxies and between networks):
/// the service is open, and a response's unguessable id is what keeps it (docs/decisions/0016-stored-responses.md).
/// </summary>
internal static class ResponseOwner
{
    public const string Anonymous = "anonymous";

    public static string Of(HttpContext context) =>
        context.Features.Get<CallerFeature>()?.Caller is { Kind: CallerKind.Key } caller ? caller.Partition : Anonymous;
}
