using Tessel.Spaces;
using Tessel.Tasks;
using Tessel.Templates;

namespace Tessel.Tuners.Model;

/// <summary>The named columns of a cost model's feature vectors, fixed by the task being tuned. Configs of
/// other workloads of the same template (transfer) are featurised into the same columns by name; a
/// feature the task does not have is dropped, one it has and they lack is 0.</summary>
public sealed class FeatureSchema
{
    private readonly Dictionary<string, int> columns = new(StringComparer.Ordinal);

    public FeatureSchema(TuningTask task)
    {
        foreach (var name in WorkloadFeatureNames) Add(name);
        foreach (var knob in task.Space.Knobs)
            foreach (var candidate in knob.Candidates)
                foreach (var (name, _) in KnobFeatures.Of(knob, candidate)) Add(name);
        if (task.Template is IDescribesLoopNest)
            foreach (var name in LoopNestFeatures.Names) Add(name);
    }

    /// <summary>Size of the workload, so that one model can rank configs of several workloads (transfer).</summary>
    internal static IReadOnlyList<string> WorkloadFeatureNames { get; } = ["work.log2_flops"];

    public int Count => columns.Count;

    public IEnumerable<string> Names => columns.OrderBy(c => c.Value).Select(c => c.Key);

    /// <summary>Column of a feature, or -1 when the schema does not have it.</summary>
    public int IndexOf(string name) => columns.TryGetValue(name, out var i) ? i : -1;

    private void Add(string name) => columns.TryAdd(name, columns.Count);
}
