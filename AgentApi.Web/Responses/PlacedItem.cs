namespace AgentApi.Web.Responses;

/// <summary>An item of a conversation and the request field its errors name; an <c>item_reference</c> until it is resolved.</summary>
/// <param name="Item">The item; null for an <c>item_reference</c> not yet resolved.</param>
/// <param name="Field">
/// Where it came from: <c>input[2]</c>; <c>input</c> for a string input; <c>previous_response_id</c> for an item of a
/// stored response the conversation continues.
/// </param>
/// <param name="ReferenceId">The id an <c>item_reference</c> names.</param>
internal sealed record PlacedItem(ResponseItem? Item, string Field, string? ReferenceId = null)
{
    public const string PreviousResponse = "previous_response_id";

    /// <summary>A field of the item (<c>input[2].call_id</c>); the item's own field when it has no fields of its own (a string input, a stored item).</summary>
    public string FieldOf(string member) => Field is "input" or PreviousResponse ? Field : $"{Field}.{member}";
}
