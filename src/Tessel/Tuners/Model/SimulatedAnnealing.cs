using Tessel.Spaces;

namespace Tessel.Tuners.Model;

/// <summary>Finds the configs a cost model scores highest without enumerating the space (AutoTVM's
/// simulated-annealing model optimizer): a population of walkers each changes one knob per step, moves
/// uphill always and downhill with a probability that cools to zero; the best configs seen that are not
/// excluded are kept.</summary>
public sealed class SimulatedAnnealing(SimulatedAnnealingOptions? options = null)
{
    private readonly SimulatedAnnealingOptions options = options ?? new SimulatedAnnealingOptions();

    /// <param name="space">the space searched</param>
    /// <param name="score">the model's score; higher is better</param>
    /// <param name="count">how many configs to return</param>
    /// <param name="excluded">configs never to return (already measured)</param>
    /// <param name="starts">configs to start walkers from (e.g. the best measured); the rest start at random</param>
    public IReadOnlyList<ConfigEntity> FindMaximums(ConfigSpace space, Func<ConfigEntity, double> score, int count,
        Func<long, bool> excluded, IReadOnlyList<ConfigEntity> starts, Random random)
    {
        var walkers = starts.Take(options.Walkers).ToList();
        while (walkers.Count < options.Walkers) walkers.Add(space.Get(random.NextInt64(space.Size)));
        var scores = walkers.Select(score).ToArray();
        var best = new Dictionary<long, (ConfigEntity Config, double Score)>();
        var threshold = double.NegativeInfinity;
        var range = scores.Max() - scores.Min();
        var temperature = options.Temperature * (range > 0 ? range : 1);

        void Offer(ConfigEntity config, double value)
        {
            if (value <= threshold && best.Count >= count) return;
            if (excluded(config.Index) || best.ContainsKey(config.Index)) return;
            best[config.Index] = (config, value);
            if (best.Count > count)
            {
                var worst = best.MinBy(p => p.Value.Score);
                best.Remove(worst.Key);
            }
            if (best.Count >= count) threshold = best.Values.Min(p => p.Score);
        }

        for (var i = 0; i < walkers.Count; i++) Offer(walkers[i], scores[i]);
        var unchanged = 0;
        for (var step = 0; step < options.Steps && unchanged < options.EarlyStop; step++)
        {
            var before = threshold;
            var t = temperature * (1 - (double)step / options.Steps);
            for (var i = 0; i < walkers.Count; i++)
            {
                var next = Neighbour(space, walkers[i], random);
                var value = score(next);
                if (value >= scores[i] || random.NextDouble() < Math.Exp((value - scores[i]) / Math.Max(t, 1e-12)))
                {
                    walkers[i] = next;
                    scores[i] = value;
                }
                Offer(next, value);
            }
            unchanged = threshold > before ? 0 : unchanged + 1;
        }
        return best.Values.OrderByDescending(p => p.Score).Select(p => p.Config).ToList();
    }

    /// <summary>The config with one knob moved to another candidate.</summary>
    private static ConfigEntity Neighbour(ConfigSpace space, ConfigEntity config, Random random)
    {
        var movable = Enumerable.Range(0, space.Knobs.Count).Where(k => space.Knobs[k].Count > 1).ToArray();
        if (movable.Length == 0) return config;
        var knob = movable[random.Next(movable.Length)];
        var digits = config.Digits.ToArray();
        var candidate = random.Next(space.Knobs[knob].Count - 1);
        digits[knob] = candidate >= digits[knob] ? candidate + 1 : candidate;
        return space.FromDigits(digits);
    }
}

/// <summary>How long the annealing walks: AutoTVM walks 128 configs for up to 500 steps; Tessel's spaces are
/// smaller per knob and its model cheaper, so fewer steps with the same early stop do.</summary>
public sealed record SimulatedAnnealingOptions
{
    public int Walkers { get; init; } = 128;
    public int Steps { get; init; } = 300;

    /// <summary>Steps without a better kept set before stopping.</summary>
    public int EarlyStop { get; init; } = 50;

    /// <summary>Starting temperature, as a fraction of the walkers' initial score range.</summary>
    public double Temperature { get; init; } = 0.5;
}
