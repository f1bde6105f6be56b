using System.Diagnostics;
using Tessel.Records;
using Tessel.Spaces;
using Tessel.Tasks;
using Tessel.Workloads;

namespace Tessel.Selective;

/// <summary>Builds a dependent task's shared space from its representative's records (read from the log,
/// so a restart loses nothing — PR #4187 kept them in memory on the task).</summary>
public static class ScheduleSharing
{
    /// <summary>The representative's best configs under <paramref name="mode"/>, mapped into the dependent's space.
    /// With a <paramref name="pool"/> larger than the mode's count, the representative's best configs under the
    /// pool's mode are mapped and <see cref="SharedConfigRanking"/> picks the mode's count of them.</summary>
    public static (SharedSpace Space, MappingStats Stats) Share(
        TuningTask dependent, TuningTask representative, IReadOnlyList<TuningRecord> records, DependMode mode,
        DependMode? pool = null, int? seed = null)
    {
        var (trials, _) = TaskTrials.From(records, representative);
        var valid = trials.Where(t => t.Result.IsValid).OrderBy(t => t.Result.MeanCost).ThenBy(t => t.Config.Index).ToList();
        var count = mode.Count(valid.Count);
        var offered = valid.Take(Math.Max(count, (pool ?? mode).Count(valid.Count))).ToList();
        var configs = new List<ConfigEntity>();
        var seen = new HashSet<long>();
        var kernels = new HashSet<string>(StringComparer.Ordinal);
        int exact = 0, clamped = 0, duplicates = 0, unmappable = 0;
        foreach (var (config, _) in offered)
        {
            var (mapped, outcome) = ConfigMapper.Map(config, dependent.Space);
            if (mapped is null) { unmappable++; continue; }
            if (!seen.Add(mapped.Index) || !kernels.Add(KernelOf(dependent, mapped))) { duplicates++; continue; }
            configs.Add(mapped);
            if (outcome == ConfigMapper.Outcome.Exact) exact++; else clamped++;
        }
        var stats = new MappingStats(offered.Count, exact, clamped, duplicates, unmappable);
        if (configs.Count <= count) return (new SharedSpace(configs), stats);
        var clock = Stopwatch.StartNew();
        var (picked, ranked) = SharedConfigRanking.Pick(dependent, records, configs, count, seed);
        return (new SharedSpace(picked), stats with { Picked = picked.Count, PickedByModel = ranked, PickSeconds = clock.Elapsed.TotalSeconds });
    }

    /// <summary>The dependent's kernel for a config. Two configs can differ only in values its shape clamps away (a
    /// Winograd tile count above the layer's tiles: on a 7x7 output, seven of the cost model's first eight picks
    /// for ResNet-50's 512-channel conv were one kernel), and measuring that kernel twice is a trial lost. A config
    /// the template cannot emit stays distinct, so its measurement records the error (as <c>KernelBuilder</c> does
    /// for any exception the emitter throws).</summary>
    private static string KernelOf(TuningTask task, ConfigEntity config)
    {
        try
        {
            return task.Template.EmitKernel(task.Workload, config, "SharedKernel");
        }
        catch (Exception e)
        {
            return $"config {config.Index}: {e.Message}";
        }
    }
}
