using System.Globalization;
using System.Text;

namespace DezhiHub.Web.Platform.Identity;

/// <summary>
/// The one check for "send the person back to where they were" (return URLs after sign-in, the language switch,
/// sign-out): a path on this site, or nothing. A crafted value (//evil, /\evil, "/%09/evil", "/　/evil") is refused
/// rather than handed to a redirect that would either leave the site or throw; non-ASCII characters of a genuine path
/// (a Chinese search term) are percent-encoded, because a Location header carries ASCII only.
/// </summary>
public static class LocalUrl
{
    /// <summary>The path to redirect to, or "/" when <paramref name="url"/> is not a safe local path.</summary>
    public static string OrHome(string? url) => TryNormalize(url, out var local) ? local : "/";

    public static bool TryNormalize(string? url, out string local)
    {
        local = "/";
        if (string.IsNullOrEmpty(url) || url[0] != '/' || (url.Length > 1 && url[1] is '/' or '\\'))
        {
            return false;
        }

        var builder = new StringBuilder(url.Length);
        var utf8 = new byte[4];
        for (var i = 0; i < url.Length; i++)
        {
            var c = url[i];
            // Control, whitespace of any script (U+3000, U+00A0, line separators) and format characters (bidi
            // overrides, zero-width): browsers strip or fold some of them, which is how "/\t/evil" becomes "//evil".
            var category = char.GetUnicodeCategory(c);
            if (char.IsControl(c) || char.IsWhiteSpace(c) || category is UnicodeCategory.Format or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned)
            {
                return false;
            }

            if (c < 0x80)
            {
                builder.Append(c);
                continue;
            }

            int length;
            if (char.IsHighSurrogate(c) && i + 1 < url.Length && char.IsLowSurrogate(url[i + 1]))
            {
                length = Encoding.UTF8.GetBytes(url.AsSpan(i, 2), utf8);
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return false;
            }
            else
            {
                length = Encoding.UTF8.GetBytes(url.AsSpan(i, 1), utf8);
            }

            foreach (var b in utf8.AsSpan(0, length))
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        local = builder.ToString();
        return true;
    }
}
