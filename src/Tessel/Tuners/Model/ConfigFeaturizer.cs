using Tessel.Spaces;
using Tessel.Templates;
using Tessel.Tasks;
using Tessel.Workloads;

namespace Tessel.Tuners.Model;

/// <summary>Turns configs of one workload's space into feature vectors of a <see cref="FeatureSchema"/>.
/// The knob part is a sum of per-candidate columns computed once per space, so simulated annealing can
/// featurise tens of thousands of configs per batch; vectors are cached by config index.</summary>
public sealed class ConfigFeaturizer
{
    private readonly FeatureSchema schema;
    private readonly Func<ConfigEntity, LoopNestFeatures>? loopNest;
    private readonly (int Column, float Value)[][][] knobColumns;
    private readonly (int Column, float Value)[] workloadColumns;
    private readonly int[]? nestColumns;
    private readonly Dictionary<long, float[]> cache = [];

    public ConfigFeaturizer(FeatureSchema schema, ITemplate template, Workload workload, ConfigSpace space)
    {
        this.schema = schema;
        Space = space;
        knobColumns = space.Knobs.Select(knob => knob.Candidates.Select(candidate =>
            KnobFeatures.Of(knob, candidate).Select(f => (schema.IndexOf(f.Name), (float)f.Value)).Where(c => c.Item1 >= 0).ToArray()).ToArray()).ToArray();
        workloadColumns = [(schema.IndexOf(FeatureSchema.WorkloadFeatureNames[0]), (float)Math.Log2(Math.Max(1, template.Flops(workload))))];
        if (template is IDescribesLoopNest describes)
        {
            loopNest = describes.LoopNest(workload);
            nestColumns = LoopNestFeatures.Names.Select(schema.IndexOf).ToArray();
        }
    }

    public ConfigSpace Space { get; }

    public float[] Featurize(ConfigEntity config)
    {
        if (cache.TryGetValue(config.Index, out var cached)) return cached;
        var x = new float[schema.Count];
        foreach (var (column, value) in workloadColumns) if (column >= 0) x[column] = value;
        for (var k = 0; k < knobColumns.Length; k++)
            foreach (var (column, value) in knobColumns[k][config.Digits[k]]) x[column] += value;
        if (loopNest is not null)
        {
            var i = 0;
            foreach (var value in loopNest(config).Values)
            {
                if (nestColumns![i] >= 0) x[nestColumns[i]] = (float)value;
                i++;
            }
        }
        cache[config.Index] = x;
        return x;
    }
}
