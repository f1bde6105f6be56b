using Tessel.Measure;
using Tessel.Records;
using Tessel.Scheduling;
using TaskScheduler = Tessel.Scheduling.TaskScheduler;
using Tessel.Tasks;
using Tessel.Tuners;

namespace Tessel.Selective;

/// <summary>The RFC's two passes over tasks whose <see cref="TuningTask.Depend"/> is set
/// (<see cref="TaskSelection.MarkDepend"/>): pass 1 tunes every representative in full, pass 2 gives every
/// other task its representative's best schedules, read back from the log, searched by the grid tuner.
/// Everything goes to one log, so an interrupted run continues where it stopped and a selective log can
/// later be extended by full tuning.</summary>
public static class SelectiveTuning
{
    /// <summary>Makes the callbacks (progress bars) of one task, given its prefix (<c>[Sel Task 1/3] </c>) and budget.</summary>
    public delegate IReadOnlyList<ITuneCallback> ProgressFactory(TuningTask task, string prefix, int budget);

    public static async Task<IReadOnlyList<TaskOutcome>> RunAsync(
        IReadOnlyList<TuningTask> tasks,
        IMeasurer measurer,
        SelectiveTuningOptions options,
        string logPath,
        ProgressFactory? progress = null,
        Action<string>? warn = null,
        CancellationToken cancellationToken = default,
        Action<ScheduledRound>? onRound = null)
    {
        var representatives = tasks.Where(t => t.Depend == t).ToList();
        var others = tasks.Where(t => t.Depend != t).ToList();
        var outcomes = new List<TaskOutcome>();

        if (options.Strategy == SchedulingStrategy.Sequential)
        {
            for (var i = 0; i < representatives.Count; i++)
            {
                var task = representatives[i];
                var result = await TuneInFullAsync(task, $"[Sel Task {i + 1,2}/{representatives.Count,2}] ").ConfigureAwait(false);
                outcomes.Add(new TaskOutcome(task, true, result, null));
            }
        }
        else
        {
            var results = await TaskScheduler.RunAsync(representatives, options.Strategy,
                representatives.Sum(t => (int)Math.Min(options.Tune.Trials, t.Space.Size)),
                task => TunerRegistry.Create(options.Tuner, task, options.Seed), measurer, options.Tune with { Trials = Math.Min(options.Tune.BatchSize, options.Tune.Trials) },
                logPath, onRound, warn, options.Seed, cancellationToken).ConfigureAwait(false);
            outcomes.AddRange(representatives.Select((task, i) => new TaskOutcome(task, true, results[i], null)));
        }

        for (var i = 0; i < others.Count; i++)
        {
            var task = others[i];
            var prefix = $"[Other Task {i + 1,2}/{others.Count,2}] ";
            var (shared, stats) = ScheduleSharing.Share(task, task.Depend, RecordReader.Read(logPath, warn), options.DependMode,
                options.SharePool, options.Seed);
            if (shared.Size == 0)
            {
                warn?.Invoke($"{task}: its representative has no valid trials to share; tuning it in full");
                outcomes.Add(new TaskOutcome(task, false, await TuneInFullAsync(task, prefix).ConfigureAwait(false), stats));
                continue;
            }
            var sharedOptions = options.Tune with { Trials = (int)shared.Size, EarlyStopping = null };
            var result = await TaskTuning.RunAsync(task, new GridTuner(shared), measurer, sharedOptions, logPath,
                progress?.Invoke(task, prefix, sharedOptions.Trials), warn, cancellationToken).ConfigureAwait(false);
            if (options.Refine > 0)
            {
                // Seeded with the shared trials: the tuner resumes them from the log and learns from them first. The
                // budget is the task's total (shared + refine), not what this run measured plus refine: a re-run resumes
                // every trial of the task, and must not refine again.
                var refineOptions = options.Tune with { Trials = sharedOptions.Trials + options.Refine };
                result = await TaskTuning.RunAsync(task, TunerRegistry.Create(options.Tuner, task, options.Seed), measurer,
                    refineOptions, logPath, progress?.Invoke(task, prefix + "refine ", refineOptions.Trials), warn, cancellationToken).ConfigureAwait(false);
            }
            outcomes.Add(new TaskOutcome(task, false, result, stats));
        }
        return outcomes;

        Task<TuneResult> TuneInFullAsync(TuningTask task, string prefix)
        {
            var full = options.Tune with { Trials = (int)Math.Min(options.Tune.Trials, task.Space.Size) };
            return TaskTuning.RunAsync(task, TunerRegistry.Create(options.Tuner, task, options.Seed), measurer, full, logPath,
                progress?.Invoke(task, prefix, full.Trials), warn, cancellationToken);
        }
    }
}
