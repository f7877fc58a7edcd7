using System.Security.Cryptography;

namespace AgentApi.Web.Responses;

/// <summary>
/// A response's ids: <c>resp_</c> and 32 random hex digits (128 bits: with caller keys off, an id is all that keeps one
/// caller's response from another), and its items' ids, numbered after it in order, input items first:
/// <c>msg_…_0</c>, <c>fc_…_3</c>. An item's id names its response, so an <c>item_reference</c> finds it.
/// </summary>
internal sealed record ResponseIdentity(string Key)
{
    private const string ResponsePrefix = "resp_";

    public string ResponseId => ResponsePrefix + Key;

    public static ResponseIdentity New() => new(RandomNumberGenerator.GetHexString(32, lowercase: true));

    /// <summary><paramref name="item"/> with its id: the <paramref name="number"/>th item of this response.</summary>
    public ResponseItem Numbered(ResponseItem item, int number)
    {
        var prefix = item switch
        {
            ResponseFunctionCall => "fc",
            ResponseFunctionCallOutput => "fco",
            _ => "msg",
        };
        return item with { Id = $"{prefix}_{Key}_{number}" };
    }

    /// <summary>The id of the response an item id of this form belongs to; null for any other id.</summary>
    public static string? ResponseIdOf(string itemId)
    {
        var parts = itemId.Split('_');
        return parts is [_, { Length: 32 } key, _] ? ResponsePrefix + key : null;
    }
}
