using Spectre.Console;
using Tessel.Measure;
using Tessel.Tasks;
using Tessel.Tuners;

namespace Tessel.Cli.Terminal;

/// <summary>A Spectre progress bar for one tuning run: trials done, best GFLOP/s so far, errors.
/// Where stderr is not a terminal it prints one plain line per round instead.</summary>
public sealed class ProgressBar(ProgressTask? bar, string prefix) : ITuneCallback
{
    public void OnRound(TuningTask task, IReadOnlyList<MeasureInput> inputs, IReadOnlyList<MeasureResult> results, TuneProgress progress)
    {
        var text = $"{prefix}best {progress.BestGflops:F1} GFLOP/s, {progress.Errors} errors";
        if (bar is null)
        {
            Consoles.Error.WriteLine($"{prefix}{progress.Trials}/{progress.Budget} trials, best {progress.BestGflops:F1} GFLOP/s, {progress.Errors} errors");
            return;
        }
        bar.MaxValue = progress.Budget;
        bar.Value = progress.Trials;
        bar.Description = Markup.Escape(text);
    }

    /// <summary>Runs <paramref name="work"/> with a bar (or plain lines) for a run of <paramref name="budget"/> trials.</summary>
    public static Task<T> RunAsync<T>(string prefix, int budget, Func<ProgressBar, Task<T>> work) =>
        RunManyAsync(bar => work(bar(prefix, budget)));

    /// <summary>Runs <paramref name="work"/>, which asks for one bar per task (prefix, budget) as it goes.</summary>
    public static async Task<T> RunManyAsync<T>(Func<Func<string, int, ProgressBar>, Task<T>> work)
    {
        if (!Consoles.Error.Profile.Capabilities.Interactive || Console.IsErrorRedirected)
            return await work((prefix, _) => new ProgressBar(null, prefix));
        return await Consoles.Error.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx => await work((prefix, budget) =>
                new ProgressBar(ctx.AddTask(Markup.Escape(prefix), maxValue: Math.Max(budget, 1)), prefix)));
    }
}
