using System.CommandLine;
using Tessel.Selective;

namespace Tessel.Cli.Commands;

/// <summary>An option whose value is a depend mode (<c>topN</c> or <c>P%</c>), rejected at parse time with the value named.</summary>
public static class DependModeOption
{
    public static Option<string> Create(string name, string description, string? defaultValue)
    {
        var option = new Option<string>(name) { Description = description };
        if (defaultValue is not null) option.DefaultValueFactory = _ => defaultValue;
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string>() is not { } text) return;
            try { DependMode.Parse(text); }
            catch (FormatException e) { r.AddError($"{name}: {e.Message}"); }
        });
        return option;
    }

    /// <summary>The share pool (<c>--share-pool</c>): absent means the RFC's sharing.</summary>
    public static Option<string> SharePool() => Create("--share-pool",
        "Beyond the RFC: offer this many of the representative's best configs (topN or P%, e.g. 100%); each dependent task measures the best of them and the cost model picks the rest of " +
            "--depend-mode's count",
        null);

    public static DependMode? Parse(string? text) => text is null ? null : DependMode.Parse(text);
}
