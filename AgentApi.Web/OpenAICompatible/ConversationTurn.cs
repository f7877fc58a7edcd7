using AgentApi.Core.Providers;

namespace AgentApi.Web.OpenAICompatible;

/// <summary>A turn of a <c>/v1</c> conversation, with the request fields its errors name.</summary>
/// <param name="Turn">The turn.</param>
/// <param name="TextField">Its text: <c>messages[3].content</c>, <c>input</c>, <c>input[2].content</c>.</param>
/// <param name="ResultField">Where a tool result that follows no call is named: <c>messages[3].role</c>, <c>input[2].type</c>.</param>
/// <param name="CallIdField">A tool result's call id: <c>messages[3].tool_call_id</c>, <c>input[2].call_id</c>.</param>
/// <param name="CallsField">An assistant turn's calls: <c>messages[2].tool_calls</c>, <c>input[1]</c>.</param>
internal sealed record ConversationTurn(ChatTurn Turn, string TextField, string ResultField, string CallIdField, string CallsField)
{
    /// <summary>A turn whose errors all name <paramref name="field"/> (a turn rebuilt from a stored response names <c>previous_response_id</c>).</summary>
    public static ConversationTurn At(ChatTurn turn, string field) => new(turn, field, field, field, field);
}
