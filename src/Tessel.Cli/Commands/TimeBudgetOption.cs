using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Tessel.Cli.Commands;

/// <summary><c>--time-budget 10m</c> (also <c>90s</c>, <c>1h</c>, <c>1h30m</c>, <c>2.5m</c>): tuning spends wall-clock time rather
/// than trials, and stops within the budget plus the batch in flight — above selective tuning's floor (every representative's
/// first batch, every dependent's shared configs), which runs whole. Zero, negative and malformed budgets are errors naming
/// the value.</summary>
public static partial class TimeBudgetOption
{
    public static Option<string?> Create(string what) =>
        new Option<string?>("--time-budget")
        {
            Description = what + " within this wall-clock time (90s, 10m, 1h, 1h30m) plus one batch; with --trials too, whichever ends first. " +
                "Selective tuning measures every representative's first batch and every dependent's shared configs whatever the budget, " +
                "so a budget shorter than that ends later (SqueezeNet 1.1 on 2 cores: 14.8 s under 10s)",
            Validators = { r => { if (r.GetValueOrDefault<string?>() is { } text) try { Parse(text); } catch (FormatException e) { r.AddError(e.Message); } } },
        };

    /// <summary>The budget the text names; <see cref="FormatException"/> naming the text otherwise.</summary>
    public static TimeSpan Parse(string text)
    {
        var match = Duration().Match(text.Trim());
        if (!match.Success || match.Groups["part"].Captures.Count == 0)
            throw new FormatException($"--time-budget '{text}' is not a duration: give a number and a unit, s, m or h (e.g. 90s, 10m, 1h, 1h30m)");
        var seconds = 0.0;
        for (var i = 0; i < match.Groups["value"].Captures.Count; i++)
        {
            var value = double.Parse(match.Groups["value"].Captures[i].Value, CultureInfo.InvariantCulture);
            seconds += value * match.Groups["unit"].Captures[i].Value.ToLowerInvariant() switch { "h" => 3600, "m" => 60, _ => 1 };
        }
        if (match.Groups["sign"].Success || !(seconds > 0))
            throw new FormatException($"--time-budget must be a positive duration (e.g. 90s, 10m, 1h), got '{text}'");
        return TimeSpan.FromSeconds(seconds);
    }

    [GeneratedRegex(@"^(?<sign>-)?(?<part>(?<value>\d+(\.\d+)?)(?<unit>[smhSMH]))+$")]
    private static partial Regex Duration();
}
