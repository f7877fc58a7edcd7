using System.Globalization;
using System.Text;

namespace AgentApi.Web.Pipeline;

/// <summary>
/// Whether text has anything a person could read: a query of only control, zero-width, bidi-override or
/// other invisible characters is answered and billed, but asks nothing.
/// </summary>
internal static class VisibleText
{
    public static bool HasVisibleCharacter(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        foreach (var rune in text.EnumerateRunes())
        {
            if (IsVisible(rune))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsVisible(Rune rune)
    {
        if (Rune.IsWhiteSpace(rune) || IsBlankLetter(rune.Value))
        {
            return false;
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
                or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => false,
            _ => true,
        };
    }

    /// <summary>Letters and symbols that render as blank space (Hangul fillers, the blank Braille pattern).</summary>
    private static bool IsBlankLetter(int value) => value is 0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x2800;
}
