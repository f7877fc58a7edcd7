using System.Text.Json.Serialization;

namespace AgentApi.Web.Responses;

/// <summary>A part of a message item's <c>content</c>.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(InputTextContent), "input_text")]
[JsonDerivedType(typeof(OutputTextContent), "output_text")]
[JsonDerivedType(typeof(RefusalContent), "refusal")]
internal abstract record ResponseContent
{
    /// <summary>The part's text, as the conversation's turn holds it (a refusal's too).</summary>
    public static string TextOf(ResponseContent part) => part switch
    {
        InputTextContent input => input.Text,
        OutputTextContent output => output.Text,
        RefusalContent refusal => refusal.Refusal,
        _ => string.Empty,
    };
}
