using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AgentApi.Core.Providers;

namespace AgentApi.Core.Diagnostics;

/// <summary>
/// Prompts and answers as the GenAI semantic conventions record them on a span, as JSON text: the input messages
/// (<c>role</c> and <c>parts</c> of type <c>text</c>, <c>tool_call</c> or <c>tool_call_response</c>), the system
/// instructions, and the output messages with their <c>finish_reason</c>. Written only when the operator opted in.
/// </summary>
internal static class GenAiMessages
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string SystemInstructions(string instructions) => Write(writer =>
    {
        writer.WriteStartArray();
        TextPart(writer, "text", instructions);
        writer.WriteEndArray();
    });

    /// <summary>The turns in the order they are sent: earlier turns, the user's message, then the tool exchange in progress.</summary>
    public static string Input(ChatRequest request) => Write(writer =>
    {
        writer.WriteStartArray();
        foreach (var turn in request.History ?? [])
        {
            Turn(writer, turn);
        }

        writer.WriteStartObject();
        writer.WriteString("role", "user");
        writer.WriteStartArray("parts");
        TextPart(writer, "text", request.UserMessage);
        writer.WriteEndArray();
        writer.WriteEndObject();

        foreach (var turn in request.ToolTurns)
        {
            Turn(writer, turn);
        }

        writer.WriteEndArray();
    });

    public static string Output(ChatCompletion completion, string finishReason) => Write(writer =>
    {
        writer.WriteStartArray();
        writer.WriteStartObject();
        writer.WriteString("role", "assistant");
        writer.WriteStartArray("parts");
        if (completion.Text.Length > 0)
        {
            TextPart(writer, "text", completion.Text);
        }

        if (completion.Refusal is { } refusal)
        {
            TextPart(writer, "refusal", refusal);
        }

        foreach (var call in completion.ToolCalls)
        {
            ToolCallPart(writer, call);
        }

        writer.WriteEndArray();
        writer.WriteString("finish_reason", finishReason);
        writer.WriteEndObject();
        writer.WriteEndArray();
    });

    private static void Turn(Utf8JsonWriter writer, ChatTurn turn)
    {
        writer.WriteStartObject();
        writer.WriteString("role", turn.RoleName);
        writer.WriteStartArray("parts");
        if (turn.Role == ChatRole.Tool)
        {
            writer.WriteStartObject();
            writer.WriteString("type", "tool_call_response");
            writer.WriteString("id", turn.ToolCallId);
            writer.WriteString("result", turn.Text);
            writer.WriteEndObject();
        }
        else
        {
            if (turn.Text.Length > 0)
            {
                TextPart(writer, "text", turn.Text);
            }

            foreach (var call in turn.ToolCalls ?? [])
            {
                ToolCallPart(writer, call);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void TextPart(Utf8JsonWriter writer, string type, string content)
    {
        writer.WriteStartObject();
        writer.WriteString("type", type);
        writer.WriteString("content", content);
        writer.WriteEndObject();
    }

    /// <summary>The arguments as the object the model wrote when they are JSON, else as the text it wrote.</summary>
    private static void ToolCallPart(Utf8JsonWriter writer, ToolCall call)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "tool_call");
        writer.WriteString("id", call.Id);
        writer.WriteString("name", call.Name);
        writer.WritePropertyName("arguments");
        if (IsJson(call.Arguments))
        {
            writer.WriteRawValue(call.Arguments, skipInputValidation: true);
        }
        else
        {
            writer.WriteStringValue(call.Arguments);
        }

        writer.WriteEndObject();
    }

    private static bool IsJson(string text)
    {
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text));
            return reader.Read() && reader.TrySkip() && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
