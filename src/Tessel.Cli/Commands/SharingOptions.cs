using System.CommandLine;
using Tessel.Selective;
using Tessel.Tuning;

namespace Tessel.Cli.Commands;

/// <summary>How a selective run shares schedules: <c>--depend-mode</c>, <c>--share-pool</c>, <c>--refine</c>.</summary>
public sealed class SharingOptions
{
    public Option<string> DependMode { get; } =
        DependModeOption.Create("--depend-mode", "Shared schedules per dependent task: topN (the N best) or P% (the best P percent)", "top10");

    public Option<string> SharePool { get; } = DependModeOption.SharePool();

    public Option<int> Refine { get; } = RefineOption.Create();

    public void AddTo(Command command)
    {
        command.Options.Add(DependMode);
        command.Options.Add(SharePool);
        command.Options.Add(Refine);
    }

    public SelectiveTuningOptions Parse(ParseResult parsed) => new()
    {
        DependMode = Selective.DependMode.Parse(parsed.GetValue(DependMode)!),
        SharePool = DependModeOption.Parse(parsed.GetValue(SharePool)),
        Refine = parsed.GetValue(Refine),
    };
}
