using Tessel.Measure;
using Tessel.Records;
using Tessel.Selective;
using Tessel.Spaces;
using Tessel.Tasks;

namespace Tessel.Reports;

/// <summary>A model's tuning as its log tells it: per task, the trials, errors, best and curve, and how selection
/// treated it. Trials are taken in log order, so a dependent's first trials are the schedules it was given.</summary>
/// <param name="Seconds">wall clock from the first of the model's trials in the log to the last</param>
/// <param name="TrialSeconds">the trials' own wall times summed (build and measurement; what the RFC's "time used" counts)</param>
/// <param name="Selective">whether the log is of a selective run: some dependent tried its representative's schedules</param>
public sealed record TuningSummary(
    IReadOnlyList<TaskSummary> Tasks, Selection Selection, DependMode DependMode, double Seconds, double TrialSeconds, bool Selective)
{
    public int Trials => Tasks.Sum(t => t.Trials);

    /// <summary>Sum of count x best over the tuned tasks of the model's primary templates: the kernels' share of the
    /// model's latency as tuning estimates it (a task and its alternative count once, by the faster).</summary>
    public double EstimatedKernelSeconds => PrimaryWithAlternatives()
        .Select(g => g.Where(t => t.Tuned).Select(t => t.BestSeconds * t.Task.Count).DefaultIfEmpty(0).Min())
        .Sum();

    /// <param name="selective">false for a full run's log; otherwise a dependent counts as shared where its first trials
    /// are schedules its representative's log gives it under <paramref name="dependMode"/> (as pass 2 shares them), or with
    /// a <paramref name="sharePool"/>, schedules of that pool (a ranking model picked among them)</param>
    /// <param name="sharing">how each dependent's shared schedules were mapped, where the run that tuned it is at hand
    /// (<c>tune --report</c>)</param>
    public static TuningSummary Of(
        IReadOnlyList<ExtractedTask> tasks, Selection selection, DependMode dependMode, IEnumerable<TuningRecord> records,
        bool selective = true, IReadOnlyDictionary<TuningTask, string>? sharing = null, DependMode? sharePool = null)
    {
        var ofModel = ModelRecords.Of(records, tasks.Select(t => t.Task));
        if (ofModel.Count == 0) return new TuningSummary([], selection, dependMode, 0, 0, false);
        var start = ofModel.Min(r => r.Result.Timestamp - r.Result.AllCost);
        var end = ofModel.Max(r => r.Result.Timestamp);
        // Each task's trials, read once: a dependent's treatment needs its representative's too.
        var trialsOf = tasks.Select(t => TaskTrials.From(ofModel, t.Task).Trials).ToList();
        var summaries = tasks.Select((task, i) =>
        {
            var representative = tasks[selection.Depend[i]];
            var trials = trialsOf[i];
            var results = trials.Select(t => t.Result).ToList();
            var best = trials.Where(t => t.Result.IsValid).OrderBy(t => t.Result.MeanCost).Select(t => ((ConfigEntity Config, MeasureResult Result)?)t).FirstOrDefault();
            var treatment = selective && representative != task && trials.Count > 0
                ? Shared(task, representative, trials, trialsOf[selection.Depend[i]].Count(t => t.Result.IsValid), ofModel, dependMode, sharePool,
                    sharing?.GetValueOrDefault(task.Task))
                : null;
            var shapes = task.Task.Template.Shapes(task.Task.Workload);
            return new TaskSummary(task, representative.Id, treatment ?? InFull(trials.Count), results.Count,
                results.Where(r => !r.IsValid).GroupBy(r => r.ErrorNo).ToDictionary(g => g.Key, g => g.Count()),
                best?.Result.MeanCost ?? double.PositiveInfinity, best?.Config.ToString(), Curve(task, results, start),
                4.0 * (shapes.DataElements + shapes.WeightElements + shapes.OutputElements));
        }).ToList();
        return new TuningSummary(summaries, selection, dependMode, end - start, ofModel.Sum(r => r.Result.AllCost),
            summaries.Any(s => s.Treatment.Kind is TreatmentKind.Shared or TreatmentKind.Refined));
    }

    private static TaskTreatment InFull(int trials) => trials == 0
        ? new(TreatmentKind.NotTuned, "not tuned: the model runs its default config")
        : new(TreatmentKind.TunedInFull, $"tuned in full ({trials} trials)");

    /// <summary>The dependent's treatment where its first trials are schedules its representative shares with it (shared,
    /// then refined if it went on); null where they are not (it was tuned in full, or by another scheme).</summary>
    private static TaskTreatment? Shared(
        ExtractedTask task, ExtractedTask representative, IReadOnlyList<(ConfigEntity Config, MeasureResult Result)> trials, int valid,
        IReadOnlyList<TuningRecord> records, DependMode mode, DependMode? pool, string? mapping)
    {
        // The pool mapped whole (no ranking model: which of it a run's model picked depends on the log at that moment).
        var (space, stats) = ScheduleSharing.Share(task.Task, representative.Task, records, pool ?? mode);
        var candidates = space.Configs.Select(c => c.Index).ToHashSet();
        var given = Math.Min(candidates.Count, mode.Count(valid));
        var first = trials.Take(given).ToList();
        if (given == 0 || !first.All(t => candidates.Contains(t.Config.Index))) return null;
        var how = $"tried {first.Count} of {representative.Id}'s best schedules ({mapping ?? stats.ToString()})";
        return trials.Count <= given
            ? new(TreatmentKind.Shared, how)
            : new(TreatmentKind.Refined, $"{how}, then {trials.Count - given} trials of its own search");
    }

    private static List<CurvePoint> Curve(ExtractedTask task, IReadOnlyList<MeasureResult> results, double start)
    {
        var curve = new List<CurvePoint>(results.Count);
        var best = double.PositiveInfinity;
        for (var i = 0; i < results.Count; i++)
        {
            best = Math.Min(best, results[i].MeanCost);
            curve.Add(new CurvePoint(i + 1, results[i].Timestamp - start, double.IsFinite(best) ? task.Flops / best / 1e9 : 0));
        }
        return curve;
    }

    /// <summary>Each primary task with the alternatives listed after it (one workload, several templates).</summary>
    private IEnumerable<List<TaskSummary>> PrimaryWithAlternatives()
    {
        List<TaskSummary>? group = null;
        foreach (var task in Tasks)
        {
            if (!task.Task.Alternative && group is not null) { yield return group; group = null; }
            (group ??= []).Add(task);
        }
        if (group is not null) yield return group;
    }
}
