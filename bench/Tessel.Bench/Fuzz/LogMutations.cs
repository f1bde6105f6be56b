using System.Text;

namespace Tessel.Bench.Fuzz;

/// <summary>Damage to a tuning log's text that keeps its lines: a number made huge, negative, NaN or a string,
/// an array element dropped, a line repeated or cut — what a hand edit or another tool's writer does.</summary>
public static class LogMutations
{
    public static readonly string[] Kinds = ["number", "drop-element", "repeat-line", "cut-line", "swap-type"];

    private static readonly string[] BadNumbers = ["-1", "1e999", "-1e999", "NaN", "\"7\"", "9223372036854775808", "0.5", "null", "[]", "{}"];

    public static byte[] Apply(string kind, byte[] input, Random random)
    {
        var lines = Encoding.UTF8.GetString(input).Split('\n').ToList();
        var at = random.Next(lines.Count);
        var line = lines[at];
        switch (kind)
        {
            case "number":
            case "swap-type":
                var digits = Enumerable.Range(0, line.Length).Where(i => char.IsDigit(line[i]) && (i == 0 || !char.IsDigit(line[i - 1]))).ToList();
                if (digits.Count == 0) break;
                var start = digits[random.Next(digits.Count)];
                var end = start;
                while (end < line.Length && (char.IsDigit(line[end]) || line[end] is '.' or 'e' or '-')) end++;
                var replacement = kind == "number" ? BadNumbers[random.Next(BadNumbers.Length)] : "\"" + line[start..end] + "\"";
                lines[at] = line[..start] + replacement + line[end..];
                break;
            case "drop-element":
                var commas = Enumerable.Range(0, line.Length).Where(i => line[i] == ',').ToList();
                if (commas.Count == 0) break;
                var comma = commas[random.Next(commas.Count)];
                var next = line.IndexOfAny([',', ']', '}'], comma + 1);
                lines[at] = line[..comma] + (next < 0 ? "" : line[next..]);
                break;
            case "repeat-line":
                lines.Insert(at, line);
                break;
            case "cut-line":
                lines[at] = line[..random.Next(line.Length + 1)];
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown log mutation");
        }
        return Encoding.UTF8.GetBytes(string.Join('\n', lines));
    }
}
