using Tessel.Measure;
using Tessel.Records;
using Tessel.Scheduling;
using Tessel.Selective;
using Tessel.Spaces;
using Tessel.Tasks;
using Tessel.Tuners;
using Tessel.Tuners.Callbacks;

namespace Tessel.Tuning;

/// <summary>Makes the callbacks (a progress bar) of one task, given its prefix (<c>[Task 1/3] </c>) and budget.</summary>
public delegate IReadOnlyList<ITuneCallback> ProgressFactory(TuningTask task, string prefix, int budget);

/// <summary>What every tuning run of one command shares: where trials are measured and recorded, each task's
/// budget and round settings (<see cref="Options"/>: its trials are per task), which tuner a task gets, and who
/// hears of progress. Every flow (one task, scheduled rounds, selective passes, a whole model) takes one.</summary>
public sealed record TuningSession(IMeasurer Measurer, IRecordStore Store, TuneOptions Options, Func<TuningTask, Tuner> CreateTuner)
{
    /// <summary>A session whose tasks get the registry's tuner of that name, seeded alike.</summary>
    public static TuningSession Named(IMeasurer measurer, IRecordStore store, TuneOptions options, string tuner, int? seed) =>
        new(measurer, store, options, task => TunerRegistry.Create(tuner, task, seed)) { Seed = seed };

    /// <summary>How tasks tuned in full spread their budget (their trials summed): each in turn, or in scheduled rounds.</summary>
    public SchedulingStrategy Strategy { get; init; } = SchedulingStrategy.Sequential;

    /// <summary>Seeds the scheduler's tie-breaks (a tuner's own seed is in <see cref="CreateTuner"/>).</summary>
    public int? Seed { get; init; }

    public ProgressFactory? Progress { get; init; }

    /// <summary>Hear every trial and round of every task, beside its progress bar (a trial counter, the model's estimated latency).</summary>
    public IReadOnlyList<ITuneCallback> Observers { get; init; } = [];

    /// <summary>Hears of each round of a scheduled run.</summary>
    public Action<ScheduledRound>? OnRound { get; init; }

    /// <summary>Warnings: records skipped, a dependent with nothing to share.</summary>
    public Action<string>? Warn { get; init; }

    /// <summary>What the run decided before tuning (tasks skipped, schedules taken from tuned workloads).</summary>
    public Action<string>? Inform { get; init; }

    public CancellationToken Cancellation { get; init; }

    /// <summary>Before a task's best is shared (a representative's) or used (at the end of a model's tuning), it is measured again,
    /// and the next fastest while the re-measured one falls behind, up to this many configs a task (<see cref="BestRemeasure"/>); 0: never.</summary>
    public int Remeasure { get; init; }

    /// <summary>What the command and the benches re-measure: up to three configs a task (a library session re-measures none unless told).</summary>
    public const int DefaultRemeasure = 3;

    /// <summary>What each task's first batch measures first (shipped records, a similar workload's best); null: only the default.</summary>
    public ZeroTrialStart? Start { get; init; }

    /// <summary>This session with its deadline (if any) passing early enough for the trials still to come after it:
    /// <paramref name="trialsToCome"/> of them, priced at the run's own seconds per trial from here on (a <see cref="TrialRate"/>
    /// joins the observers and is handed to the count).</summary>
    public TuningSession LeavingTimeFor(Func<TrialRate, double> trialsToCome)
    {
        if (Options.Deadline is not { } deadline) return this;
        var rate = new TrialRate(deadline.Clock);
        return this with
        {
            Options = Options with { Deadline = deadline.Reserving(() => TimeSpan.FromSeconds(rate.SecondsPerTrial * trialsToCome(rate))) },
            Observers = [.. Observers, rate],
        };
    }

    /// <summary>The configs a task's tuning starts from, none without a <see cref="Start"/>.</summary>
    public IReadOnlyList<ConfigEntity> StartOf(TuningTask task) => Start?.ConfigsFor(task) ?? [];

    /// <summary>The callbacks of one task: its progress bar (none without a progress factory) and the observers.</summary>
    public IReadOnlyList<ITuneCallback> ProgressOf(TuningTask task, string prefix, int budget) =>
        [.. Progress?.Invoke(task, prefix, budget) ?? [], .. Observers];
}
