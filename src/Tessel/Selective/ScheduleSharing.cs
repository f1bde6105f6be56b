using Tessel.Records;
using Tessel.Spaces;
using Tessel.Tasks;

namespace Tessel.Selective;

/// <summary>Builds a dependent task's shared space from its representative's records (read from the log,
/// so a restart loses nothing — PR #4187 kept them in memory on the task).</summary>
public static class ScheduleSharing
{
    public static (SharedSpace Space, MappingStats Stats) Share(
        TuningTask dependent, TuningTask representative, IEnumerable<TuningRecord> records, DependMode mode)
    {
        var (trials, _) = TaskTrials.From(records, representative);
        var valid = trials.Where(t => t.Result.IsValid).OrderBy(t => t.Result.MeanCost).ThenBy(t => t.Config.Index).ToList();
        var offered = valid.Take(mode.Count(valid.Count)).ToList();
        var configs = new List<ConfigEntity>();
        var seen = new HashSet<long>();
        int exact = 0, clamped = 0, duplicates = 0, unmappable = 0;
        foreach (var (config, _) in offered)
        {
            var (mapped, outcome) = ConfigMapper.Map(config, dependent.Space);
            if (mapped is null) { unmappable++; continue; }
            if (!seen.Add(mapped.Index)) { duplicates++; continue; }
            configs.Add(mapped);
            if (outcome == ConfigMapper.Outcome.Exact) exact++; else clamped++;
        }
        return (new SharedSpace(configs), new MappingStats(offered.Count, exact, clamped, duplicates, unmappable));
    }
}
