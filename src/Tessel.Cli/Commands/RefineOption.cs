using System.CommandLine;

namespace Tessel.Cli.Commands;

/// <summary><c>--refine K</c> (beyond the RFC): after sharing, K more trials of the tuner for each dependent task; absent,
/// the selective scheme's.</summary>
public static class RefineOption
{
    public static Option<int?> Create()
    {
        var refine = new Option<int?>("--refine")
        {
            Description = "After sharing, this many more trials of the tuner for each dependent task (its model learns from the representative's trials); default: the scheme's",
        };
        refine.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is < 0 and var v) r.AddError($"--refine must be >= 0, got {v}"); });
        return refine;
    }
}
