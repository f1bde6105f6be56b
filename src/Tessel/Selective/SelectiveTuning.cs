using Tessel.Measure;
using Tessel.Records;
using Tessel.Scheduling;
using TaskScheduler = Tessel.Scheduling.TaskScheduler;
using Tessel.Tasks;
using Tessel.Tuners;
using Tessel.Tuners.Callbacks;

namespace Tessel.Selective;

/// <summary>The RFC's two passes over tasks whose <see cref="TuningTask.Depend"/> is set
/// (<see cref="TaskSelection.MarkDepend"/>): pass 1 tunes every representative in full, pass 2 gives every
/// other task its representative's best schedules, read back from the log, searched by the grid tuner.
/// Everything goes to one log, so an interrupted run continues where it stopped and a selective log can
/// later be extended by full tuning.</summary>
public static class SelectiveTuning
{
    private sealed record SideBySideLoop(TuningTask Task, Tuner Tuner, TuneOptions Options, string Prefix);

    /// <summary>Makes the callbacks (progress bars) of one task, given its prefix (<c>[Sel Task 1/3] </c>) and budget.</summary>
    public delegate IReadOnlyList<ITuneCallback> ProgressFactory(TuningTask task, string prefix, int budget);

    public static async Task<IReadOnlyList<TaskOutcome>> RunAsync(
        IReadOnlyList<TuningTask> tasks,
        IMeasurer measurer,
        SelectiveTuningOptions options,
        IRecordStore store,
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
            var scheduled = await TaskScheduler.RunAsync(representatives, options.Strategy,
                representatives.Sum(t => (int)Math.Min(options.Tune.Trials, t.Space.Size)),
                task => TunerRegistry.Create(options.Tuner, task, options.Seed), measurer, options.Tune with { Trials = Math.Min(options.Tune.BatchSize, options.Tune.Trials) },
                store, onRound, warn, options.Seed, cancellationToken).ConfigureAwait(false);
            outcomes.AddRange(representatives.Select((task, i) => new TaskOutcome(task, true, scheduled[i], null)));
        }

        // Pass 2, side by side: every dependent's shared configs are measured in one gathered batch, then (with
        // refine) every dependent's refine trials, so each step pays one compilation rather than one per dependent.
        var records = store.Read(warn);
        var sharing = new (TuningTask Task, string Prefix, SharedSpace Shared, MappingStats Stats)[others.Count];
        // One ranking model per core at a time, so that each pick's time in the stats is its own.
        Parallel.For(0, others.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken }, i =>
        {
            var task = others[i];
            var (shared, stats) = ScheduleSharing.Share(task, task.Depend, records, options.DependMode, options.SharePool, options.Seed);
            sharing[i] = (task, $"[Other Task {i + 1,2}/{others.Count,2}] ", shared, stats);
        });
        var results = new Dictionary<TuningTask, TuneResult>();
        var served = sharing.Where(s => s.Shared.Size > 0).ToList();
        var sharedLoops = served.Select(s => new SideBySideLoop(s.Task, new GridTuner(s.Shared),
            options.Tune with { Trials = (int)s.Shared.Size, EarlyStopping = null }, s.Prefix)).ToList();
        // Nothing was written since the sharing read the log: the shared step starts from those records.
        var sharedResults = await TuneSideBySideAsync(sharedLoops, records).ConfigureAwait(false);
        for (var i = 0; i < served.Count; i++) results[served[i].Task] = sharedResults[i];
        if (options.Refine > 0)
        {
            // Seeded with the shared trials: each tuner resumes them from the log and learns from them first. The
            // budget is the task's total (shared + refine), not what this run measured plus refine: a re-run resumes
            // every trial of the task, and must not refine again.
            var refineLoops = served.Select(s => new SideBySideLoop(s.Task, TunerRegistry.Create(options.Tuner, s.Task, options.Seed),
                options.Tune with { Trials = (int)s.Shared.Size + options.Refine }, s.Prefix + "refine ")).ToList();
            // Read again: the refine step's tuners learn from every dependent's shared trials.
            var refined = await TuneSideBySideAsync(refineLoops, store.Read(warn)).ConfigureAwait(false);
            // The refine step resumed the shared trials (counted in its trials, best and errors); what it did not
            // measure itself, the shared step did.
            for (var i = 0; i < served.Count; i++)
                results[served[i].Task] = refined[i] with
                {
                    Measured = refined[i].Measured + sharedResults[i].Measured,
                    Elapsed = refined[i].Elapsed + sharedResults[i].Elapsed,
                };
        }
        foreach (var (task, prefix, _, _) in sharing.Where(s => s.Shared.Size == 0))
        {
            warn?.Invoke($"{task}: its representative has no valid trials to share; tuning it in full");
            results[task] = await TuneInFullAsync(task, prefix).ConfigureAwait(false);
        }
        outcomes.AddRange(sharing.Select(s => new TaskOutcome(s.Task, false, results[s.Task], s.Stats)));
        return outcomes;

        async Task<TuneResult[]> TuneSideBySideAsync(IReadOnlyList<SideBySideLoop> loops, IReadOnlyList<TuningRecord> logged)
        {
            using var writer = store.OpenAppender();
            var log = new OpenLog(store, logged, new LogToFile(writer));
            var gathered = new CoalescingMeasurer(measurer, loops.Count);
            var callbacks = loops.Select(l => progress?.Invoke(l.Task, l.Prefix, l.Options.Trials)).ToList();
            return await Task.WhenAll(loops.Select((loop, i) => Task.Run(async () =>
            {
                try
                {
                    return await TaskTuning.RunAsync(loop.Task, loop.Tuner, gathered, loop.Options, log, callbacks[i], warn,
                        cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    gathered.Leave();
                }
            }, cancellationToken))).ConfigureAwait(false);
        }

        Task<TuneResult> TuneInFullAsync(TuningTask task, string prefix)
        {
            var full = options.Tune with { Trials = (int)Math.Min(options.Tune.Trials, task.Space.Size) };
            return TaskTuning.RunAsync(task, TunerRegistry.Create(options.Tuner, task, options.Seed), measurer, full, store,
                progress?.Invoke(task, prefix, full.Trials), warn, cancellationToken);
        }
    }
}
