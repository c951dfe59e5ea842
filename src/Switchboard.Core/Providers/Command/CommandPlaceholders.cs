using System.Text;

namespace Switchboard.Providers.Command;

/// <summary>The placeholders a command template may hold, and filling them in.</summary>
internal static class CommandPlaceholders
{
    /// <summary>The prompt's text itself, as one argument.</summary>
    public const string Prompt = "{prompt}";

    /// <summary>The path of a temporary file holding the prompt, deleted after the run.</summary>
    public const string PromptFile = "{prompt_file}";

    /// <summary>The model, as the client wrote it after the provider's name.</summary>
    public const string Model = "{model}";

    /// <summary>The path of a temporary file the program may write its answer to (read with <c>output: file</c>).</summary>
    public const string OutputFile = "{output_file}";

    public static readonly IReadOnlyList<string> All = [Prompt, PromptFile, Model, OutputFile];

    /// <summary>Every <c>{name}</c> in <paramref name="argument"/> that looks like a placeholder but is none of <see cref="All"/>.</summary>
    public static IEnumerable<string> Unknown(string argument)
    {
        for (var start = argument.IndexOf('{', StringComparison.Ordinal); start >= 0; start = argument.IndexOf('{', start + 1))
        {
            var end = start + 1;
            while (end < argument.Length && (char.IsAsciiLetterOrDigit(argument[end]) || argument[end] == '_')) end++;
            if (end == start + 1 || end >= argument.Length || argument[end] != '}') continue;
            var token = argument[start..(end + 1)];
            if (!All.Contains(token)) yield return token;
        }
    }

    /// <summary>True when any item of <paramref name="template"/> mentions <paramref name="placeholder"/>.</summary>
    public static bool Uses(IReadOnlyList<string> template, string placeholder) =>
        template.Any(item => item.Contains(placeholder, StringComparison.Ordinal));

    /// <summary>
    /// Fills the placeholders of one argument in a single pass, left to right, so text put in (a prompt that happens
    /// to mention <c>{model}</c>) is never filled again. A placeholder whose value is null is left as written.
    /// </summary>
    public static string Fill(string argument, Func<string, string?> value)
    {
        if (!argument.Contains('{', StringComparison.Ordinal)) return argument;
        var filled = new StringBuilder(argument.Length);
        var at = 0;
        while (at < argument.Length)
        {
            var open = argument.IndexOf('{', at);
            if (open < 0) break;
            var close = argument.IndexOf('}', open);
            if (close < 0) break;
            filled.Append(argument, at, open - at);
            var token = argument[open..(close + 1)];
            if (All.Contains(token) && value(token) is { } text)
            {
                filled.Append(text);
                at = close + 1;
            }
            else
            {
                filled.Append('{');
                at = open + 1;
            }
        }
        return filled.Append(argument, at, argument.Length - at).ToString();
    }
}
