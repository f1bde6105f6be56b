using System.CommandLine;
using Tessel.Tuning;

namespace Tessel.Cli.Commands;

/// <summary>How a selective run shares schedules: <c>--depend-mode</c>, <c>--share-pool</c>, <c>--refine</c>; each one not
/// given is the scheme's (<see cref="SelectionOptions.Scheme"/>).</summary>
public sealed class SharingOptions
{
    public Option<string> DependMode { get; } =
        DependModeOption.Create("--depend-mode", "Shared schedules per dependent task: topN (the N best) or P% (the best P percent); default: the scheme's", null);

    public Option<string> SharePool { get; } = DependModeOption.SharePool();

    public Option<int?> Refine { get; } = RefineOption.Create();

    public void AddTo(Command command)
    {
        command.Options.Add(DependMode);
        command.Options.Add(SharePool);
        command.Options.Add(Refine);
    }

    /// <summary>The scheme's sharing with each flag given put in its place.</summary>
    public SelectiveTuningOptions Parse(ParseResult parsed, SelectiveScheme scheme) => scheme.Sharing with
    {
        DependMode = parsed.GetValue(DependMode) is { } mode ? Selective.DependMode.Parse(mode) : scheme.Sharing.DependMode,
        SharePool = parsed.GetValue(SharePool) is { } pool ? Selective.DependMode.Parse(pool) : scheme.Sharing.SharePool,
        Refine = parsed.GetValue(Refine) ?? scheme.Sharing.Refine,
    };
}
