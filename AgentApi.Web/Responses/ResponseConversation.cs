using AgentApi.Core.Providers;
using AgentApi.Web.OpenAICompatible;

namespace AgentApi.Web.Responses;

/// <summary>
/// Items as the conversation the pipeline answers: user messages and the assistant's are turns, system and developer
/// messages join the instructions (after the request's own <c>instructions</c>, which a continued response does not
/// inherit, as on OpenAI), a function call belongs to the assistant turn it follows (a response's message and its
/// calls are one turn), and a function's output is a tool turn. Split and checked as every <c>/v1</c> conversation.
/// </summary>
internal static class ResponseConversation
{
    /// <exception cref="InvalidOpenAIRequestException">The conversation cannot be answered as sent.</exception>
    public static OpenAIConversation Build(IReadOnlyList<PlacedItem> items, string? instructions)
    {
        var turns = new List<ConversationTurn>();
        List<string> texts = instructions is null ? [] : [instructions];
        foreach (var placed in items)
        {
            switch (placed.Item)
            {
                case ResponseMessage { Role: "system" or "developer" } message:
                    texts.Add(message.Text);
                    break;
                case ResponseMessage message:
                    turns.Add(Turn(new ChatTurn(message.Role == ResponseMessage.User ? ChatRole.User : ChatRole.Assistant, message.Text), placed));
                    break;
                case ResponseFunctionCall call:
                    var made = new ToolCall(call.CallId, call.Name, call.Arguments);
                    if (turns is [.., { Turn.Role: ChatRole.Assistant } last])
                    {
                        turns[^1] = last with
                        {
                            Turn = last.Turn with { ToolCalls = [.. last.Turn.ToolCalls ?? [], made] },
                            CallsField = last.Turn.ToolCalls is null ? placed.Field : last.CallsField,
                        };
                    }
                    else
                    {
                        turns.Add(Turn(new ChatTurn(ChatRole.Assistant, string.Empty) { ToolCalls = [made] }, placed));
                    }

                    break;
                case ResponseFunctionCallOutput output:
                    turns.Add(Turn(new ChatTurn(ChatRole.Tool, output.Output) { ToolCallId = output.CallId }, placed));
                    break;
            }
        }

        return OpenAIConversation.Split(turns, texts, "input", instructions is null ? "input" : "instructions");
    }

    private static ConversationTurn Turn(ChatTurn turn, PlacedItem placed) =>
        new(turn, placed.FieldOf("content"), placed.FieldOf("type"), placed.FieldOf("call_id"), placed.Field);
}
