using System.Buffers;
using System.Text;

namespace DezhiHub.Domain;

/// <summary>
/// Text a person enters that other people read — real names, titles, places, theme and node names, item and service
/// names, partner names, reasons, descriptions — as the app keeps it. One rule for every entry point:
/// <list type="bullet">
/// <item>Invisible characters are removed silently: zero-width space, non-joiner and joiner (U+200B–U+200D), word
/// joiner and invisible operators (U+2060–U+2064), the byte-order mark (U+FEFF), soft hyphen (U+00AD), Mongolian vowel
/// separator (U+180E) and the direction marks LRM, RLM, ALM (U+200E, U+200F, U+061C). They arrive with copy and paste,
/// mean nothing in this app's text, and would make two names that look the same compare, sort and search as different.</item>
/// <item>Control characters (C0 U+0000–U+001F, DEL, C1 U+0080–U+009F) are removed; a line break or tab in a one-line
/// field becomes a space, and multi-line text keeps line breaks (as \n) and tabs.</item>
/// <item>Direction embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) are refused with
/// <see cref="DirectionControlCode"/>: they reorder what a reader sees (RIGHT-TO-LEFT OVERRIDE makes "gpj.exe" read as
/// "exe.jpg"), so dropping one silently would store something other than what the person saw on screen.</item>
/// </list>
/// The result is trimmed. Length limits apply to the cleaned text.
/// </summary>
public static class PersonText
{
    /// <summary>The refusal of a direction control character.</summary>
    public const string DirectionControlCode = "Text.DirectionControl";

    private static readonly SearchValues<char> DirectionControls = SearchValues.Create(
        "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069");

    private static readonly SearchValues<char> Invisible = SearchValues.Create(
        "\u200B\u200C\u200D\u2060\u2061\u2062\u2063\u2064\uFEFF\u00AD\u180E\u200E\u200F\u061C");

    /// <summary>Whether the text holds a direction embedding, override or isolate (U+202A–U+202E, U+2066–U+2069).</summary>
    public static bool HasDirectionControl(string? text) => text is not null && text.AsSpan().ContainsAny(DirectionControls);

    /// <summary>One-line text as kept: refused when it holds a direction control, otherwise cleaned and trimmed.</summary>
    public static string Checked(string? text) =>
        HasDirectionControl(text) ? throw new DomainException(DirectionControlCode) : Clean(text, multiline: false);

    /// <summary>Multi-line text as kept: refused when it holds a direction control, otherwise cleaned and trimmed.</summary>
    public static string CheckedMultiline(string? text) =>
        HasDirectionControl(text) ? throw new DomainException(DirectionControlCode) : Clean(text, multiline: true);

    /// <summary>
    /// One-line text with everything this class removes gone, direction controls too — for text that has no one to be
    /// told (what is shown of text stored earlier, names in exports).
    /// </summary>
    public static string Clean(string? text) => Clean(text, multiline: false);

    /// <summary>As <see cref="Clean(string?)"/>, keeping line breaks and tabs.</summary>
    public static string CleanMultiline(string? text) => Clean(text, multiline: true);

    private static string Clean(string? text, bool multiline)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var span = text.AsSpan();
        if (!span.ContainsAny(Invisible) && !span.ContainsAny(DirectionControls) && !HasControl(span))
        {
            return text.Trim();
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                builder.Append(multiline ? '\n' : ' ');
            }
            else if (c is '\t' or '\v' or '\f')
            {
                builder.Append(multiline && c == '\t' ? '\t' : ' ');
            }
            else if (!char.IsControl(c) && !Invisible.Contains(c) && !DirectionControls.Contains(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString().Trim();
    }

    private static bool HasControl(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }
}
