using System.Collections.Concurrent;
using Tessel.Records;
using Tessel.Records.Shipped;
using Tessel.Spaces;
using Tessel.Tasks;
using Tessel.Workloads;

namespace Tessel.Selective;

/// <summary>What a workload starts from before any trial of its own (AutoTVM's TopHub, then its fallback to a reference
/// log's most similar workload): (a) the records Tessel ships for that very workload on its target; else (b) the best
/// configs of the most similar workload among the stored records (the user's log or database) and the shipped ones,
/// by the selective similarity rate, mapped into its space as schedule sharing maps them; else nothing, and its
/// template's default runs. A model run takes it where the log has nothing (<c>KernelChoice</c>: records measured
/// here always win); tuning measures it in its first batch, so a tuned kernel is never slower than this start.
/// Each task's answer is worked out once.</summary>
public sealed class ZeroTrialStart
{
    /// <summary>Configs a start offers at most (as many as a shipped file keeps per workload).</summary>
    public const int MaxConfigs = 3;

    private readonly ShippedCatalog? shipped;
    private readonly Lazy<HistoryBest> stored;
    private readonly Action<string>? warn;
    private readonly ConcurrentDictionary<string, ShippedRecords?> shippedByTarget = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StartingConfigs?> starts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TuningTask?> recorded = new(StringComparer.Ordinal);

    /// <param name="shipped">the shipped files; null uses none (<c>--no-shipped</c>)</param>
    /// <param name="stored">the user's records, read when first needed (by a workload nothing is shipped for)</param>
    /// <param name="warn">hears of a damaged shipped file</param>
    public ZeroTrialStart(ShippedCatalog? shipped, Func<IReadOnlyList<TuningRecord>> stored, Action<string>? warn = null)
    {
        this.shipped = shipped;
        this.stored = new Lazy<HistoryBest>(() => new HistoryBest(stored()));
        this.warn = warn;
    }

    /// <summary>The host the records shipped for <paramref name="target"/> were measured on; null where none are used.</summary>
    public ShippedHost? ShippedHost(Target target) => Shipped(target)?.Host;

    /// <summary>The task's start, or null: its template's default.</summary>
    public StartingConfigs? For(TuningTask task) =>
        starts.GetOrAdd(task.Name + " " + TuningRecord.KeyOf(task.Target.Text, task.Workload), _ => FromShipped(task) ?? FromSimilar(task));

    /// <summary>The start's configs, none where it has none: what a task's first batch measures first.</summary>
    public IReadOnlyList<ConfigEntity> ConfigsFor(TuningTask task) => For(task)?.Configs.Select(c => c.Config).ToList() ?? [];

    private ShippedRecords? Shipped(Target target) =>
        shipped is null ? null : shippedByTarget.GetOrAdd(target.Text, _ => shipped.For(target, warn));

    private StartingConfigs? FromShipped(TuningTask task)
    {
        var configs = (Shipped(task.Target)?.Best.Find(task.Target, task.Workload)?.Fastest ?? [])
            .Select(r => (Config: r.ConfigIn(task.Space), Seconds: r.Result.MeanCost))
            .Where(c => c.Config is not null)
            .Select(c => (c.Config!, c.Seconds))
            .Take(MaxConfigs).ToList();
        return configs.Count == 0 ? null : new StartingConfigs(ConfigSource.Shipped, configs, task.Workload, 1);
    }

    private StartingConfigs? FromSimilar(TuningTask task)
    {
        // Stored workloads first, so that of two as similar, the one measured here wins (the sort keeps order on ties).
        var similar = stored.Value.Workloads.Concat(Shipped(task.Target)?.Best.Workloads ?? [])
            .Where(w => w.Best is not null && w.First.Target == task.Target.Text && w.First.TaskName == task.Name && !w.First.Workload.Equals(task.Workload))
            .Select(w => (Best: w, Task: Recorded(task, w.First.Workload)))
            .Where(w => w.Task is not null)
            .Select(w => (w.Best, Task: w.Task!, Similarity: SimilarityRate.Compute(task, w.Task!)))
            .Where(w => w.Similarity > 0)
            .OrderByDescending(w => w.Similarity);
        foreach (var (best, other, similarity) in similar)
        {
            // Seconds of another workload, scaled by the work each does: only to rank against other templates' starts.
            var scale = other.Flops > 0 ? (double)task.Flops / other.Flops : 1;
            var configs = best.Fastest
                .Select(r => (Config: r.ConfigIn(other.Space), Seconds: r.Result.MeanCost * scale))
                .Where(c => c.Config is not null)
                .Select(c => (Config: ConfigMapper.Map(c.Config!, task.Space).Config, c.Seconds))
                .Where(c => c.Config is not null)
                .DistinctBy(c => c.Config!.Index)
                .Take(MaxConfigs)
                .Select(c => (c.Config!, c.Seconds)).ToList();
            if (configs.Count > 0) return new StartingConfigs(ConfigSource.Similar, configs, other.Workload, similarity);
        }
        return null;
    }

    /// <summary>A recorded workload as a task of <paramref name="task"/>'s template; null where its args do not fit it.</summary>
    private TuningTask? Recorded(TuningTask task, Workload workload) =>
        recorded.GetOrAdd(task.Target.Text + " " + workload.Key, _ =>
        {
            try { return TuningTask.OfRecorded(task.Template, workload, task.Target); }
            catch (FormatException) { return null; }
        });
}
