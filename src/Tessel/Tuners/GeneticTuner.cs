using Tessel.Measure;
using Tessel.Spaces;

namespace Tessel.Tuners;

/// <summary>A genetic search over knob positions (AutoTVM's GATuner): the fastest configs measured so
/// far are the parents; children come from one-point crossover of parents drawn in proportion to their
/// speed, with each gene mutated with a small probability. Measured configs are never proposed again.</summary>
public sealed class GeneticTuner : Tuner
{
    private readonly ConfigSpace space;
    private readonly GeneticOptions options;
    private readonly Dictionary<long, double> fitness = [];
    private readonly Queue<ConfigEntity> generation = new();

    public GeneticTuner(ConfigSpace space, int? seed = null, GeneticOptions? options = null) : base(space, seed)
    {
        this.space = space;
        this.options = options ?? new GeneticOptions();
        this.options.Validate();
        foreach (var config in RandomConfigs(PopulationSize)) generation.Enqueue(config);
    }

    private int PopulationSize => (int)Math.Min(options.Population, space.Size);

    public override IReadOnlyList<ConfigEntity> NextBatch(int count)
    {
        var batch = new List<ConfigEntity>(count);
        while (batch.Count < count && HasNext)
        {
            if (generation.Count == 0) Breed();
            if (generation.Count == 0) break;
            var config = generation.Dequeue();
            if (!IsVisited(config.Index) && batch.All(c => c.Index != config.Index)) batch.Add(config);
        }
        return batch;
    }

    public override void Update(IReadOnlyList<MeasureInput> inputs, IReadOnlyList<MeasureResult> results)
    {
        // Fitness is speed: 1 / seconds, 0 for a failed config, so failures are never parents.
        for (var i = 0; i < inputs.Count; i++)
            fitness[inputs[i].Config.Index] = results[i].IsValid ? 1.0 / results[i].MeanCost : 0.0;
    }

    private void Breed()
    {
        var ranked = fitness.Where(p => p.Value > 0).OrderByDescending(p => p.Value).Take(options.Population).ToList();
        if (ranked.Count < 2)
        {
            foreach (var config in RandomConfigs(PopulationSize)) generation.Enqueue(config);
            return;
        }
        var parents = ranked.Select(p => space.Get(p.Key)).ToList();
        var weights = ranked.Select(p => p.Value).ToArray();
        var total = weights.Sum();
        var children = new HashSet<long>();
        for (var attempt = 0; children.Count < PopulationSize && attempt < PopulationSize * 20; attempt++)
        {
            var a = parents[Pick(weights, total)].Digits;
            var b = parents[Pick(weights, total)].Digits;
            var point = Random.Next(a.Count + 1);
            var genes = new int[a.Count];
            for (var k = 0; k < genes.Length; k++)
            {
                genes[k] = k < point ? a[k] : b[k];
                if (Random.NextDouble() < options.MutationProbability) genes[k] = Random.Next(space.Knobs[k].Count);
            }
            var child = space.FromDigits(genes);
            if (!IsVisited(child.Index) && children.Add(child.Index)) generation.Enqueue(child);
        }
        if (generation.Count == 0)
            foreach (var config in RandomConfigs(PopulationSize)) generation.Enqueue(config);
    }

    private int Pick(double[] weights, double total)
    {
        var r = Random.NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            r -= weights[i];
            if (r <= 0) return i;
        }
        return weights.Length - 1;
    }

    private IEnumerable<ConfigEntity> RandomConfigs(int count)
    {
        var seen = new HashSet<long>();
        for (var attempt = 0; seen.Count < count && attempt < count * 20; attempt++)
        {
            var index = Random.NextInt64(space.Size);
            if (!IsVisited(index) && seen.Add(index)) yield return space.Get(index);
        }
    }
}
