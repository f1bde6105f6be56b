using System.Text;
using System.Text.RegularExpressions;

namespace Tessel.IntegrationTests.Docs;

/// <summary>docs/TUTORIAL.md as its tests read it: the fenced code blocks in order, and the <c>./tessel</c> commands of
/// the shell blocks as the command line would receive them.</summary>
public static partial class Tutorial
{
    /// <summary>A fenced code block: its number among all blocks (from 1), the line of its opening fence, its language
    /// (the info string's first word) and its text.</summary>
    public sealed record Block(int Number, int Line, string Language, string Text)
    {
        /// <summary>A block the test runs (<c>```sh</c> or <c>```bash</c>); the others are shown, not run.</summary>
        public bool IsShell => Language is "sh" or "bash";

        public string FirstLine => Text.Split('\n')[0];

        public override string ToString() => $"block {Number} (line {Line}) `{FirstLine}`";
    }

    /// <summary>A <c>./tessel</c> command of a block: its source text and its arguments after the shell's quoting and
    /// <c>${NAME:-default}</c> expansion (to the default).</summary>
    public sealed record Command(string Source, string[] Args);

    /// <summary>The environment variable every budget of the tutorial goes through.</summary>
    public const string TrialsVariable = "TESSEL_TUTORIAL_TRIALS";

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Tessel.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no Tessel.slnx above {AppContext.BaseDirectory}");
    }

    public static string Path(string root) => System.IO.Path.Combine(root, "docs", "TUTORIAL.md");

    /// <summary>The fenced code blocks of a Markdown text, in order (CommonMark's backtick fences: up to three spaces
    /// before, a closing fence at least as long as the opening one).</summary>
    /// <exception cref="FormatException">a fence is not closed</exception>
    public static IReadOnlyList<Block> Blocks(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var blocks = new List<Block>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (Fence().Match(lines[i]) is not { Success: true } open) continue;
            var fence = open.Groups["fence"].Value;
            var language = open.Groups["info"].Value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
            var body = new List<string>();
            var start = i;
            for (i++; ; i++)
            {
                if (i == lines.Length) throw new FormatException($"the code fence opened at line {start + 1} is not closed");
                if (Fence().Match(lines[i]) is { Success: true } close && close.Groups["info"].Value.Trim().Length == 0 &&
                    close.Groups["fence"].Value.Length >= fence.Length) break;
                body.Add(lines[i]);
            }
            blocks.Add(new Block(blocks.Count + 1, start + 1, language, string.Join('\n', body)));
        }
        return blocks;
    }

    /// <summary>The <c>./tessel</c> commands of a shell block: lines joined at a trailing backslash, comments dropped,
    /// split at <c>&amp;&amp;</c>, <c>||</c>, <c>;</c>, <c>|</c> and <c>&amp;</c>, words unquoted.</summary>
    public static IReadOnlyList<Command> TesselCommands(string script)
    {
        var commands = new List<Command>();
        foreach (var line in script.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n'))
        {
            var words = new List<string>();
            var source = new StringBuilder();
            foreach (var (word, raw) in Words(line).Append((null, "")))
            {
                if (word is null)
                {
                    if (words is ["./tessel", .. var args]) commands.Add(new Command(source.ToString().Trim(), [.. args]));
                    words.Clear();
                    source.Clear();
                    continue;
                }
                words.Add(word);
                source.Append(raw).Append(' ');
            }
        }
        return commands;
    }

    /// <summary>A line's words, unquoted and expanded, with their source text; null at an operator or the end.</summary>
    private static IEnumerable<(string? Word, string Raw)> Words(string line)
    {
        var word = new StringBuilder();
        var raw = new StringBuilder();
        var inWord = false;
        char? quote = null;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote is null && !inWord && c == '#') break;
            if (quote is null && (char.IsWhiteSpace(c) || c is ';' or '|' or '&'))
            {
                if (inWord) yield return (Expand(word.ToString()), raw.ToString());
                word.Clear();
                raw.Clear();
                inWord = false;
                if (c is ';' or '|' or '&') yield return (null, c.ToString());
                continue;
            }
            inWord = true;
            raw.Append(c);
            if (quote is null && c is '\'' or '"') quote = c;
            else if (c == quote) quote = null;
            else word.Append(c);
        }
        if (inWord) yield return (Expand(word.ToString()), raw.ToString());
    }

    private static string Expand(string word) => DefaultExpansion().Replace(word, m => m.Groups["default"].Value);

    [GeneratedRegex(@"^ {0,3}(?<fence>`{3,})(?<info>[^`]*)$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"\$\{\w+:-(?<default>[^}]*)\}")]
    private static partial Regex DefaultExpansion();
}
