using System.Globalization;

namespace DezhiHub.Domain.Accounts;

/// <summary>How a person's name is shown to someone who must not read all of it.</summary>
public static class PersonName
{
    /// <summary>
    /// "张三" → "张*", "李小明" → "李*明": enough for staff to match a couple at the desk without showing the full name.
    /// Counted in text elements, so a name outside the basic plane is never cut in half.
    /// </summary>
    public static string Masked(string name)
    {
        var letters = Elements(name.Trim());
        return letters.Length switch
        {
            0 => "",
            1 => letters[0],
            2 => letters[0] + "*",
            _ => letters[0] + new string('*', letters.Length - 2) + letters[^1],
        };
    }

    /// <summary>刘洋 → 刘*, 欧阳娜娜 → 欧***: the first letter only, so a found card does not name its holder.</summary>
    public static string FirstOnly(string name)
    {
        var letters = Elements(name.Trim());
        return letters.Length == 0 ? "*" : letters[0] + new string('*', Math.Max(1, letters.Length - 1));
    }

    private static string[] Elements(string text)
    {
        var elements = new List<string>(text.Length);
        var enumerator = StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
        {
            elements.Add(enumerator.GetTextElement());
        }

        return [.. elements];
    }
}
