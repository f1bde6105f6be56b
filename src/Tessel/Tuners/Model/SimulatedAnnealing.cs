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
        // The kept set: a min-heap on score (its root is the worst kept), with the indices it holds.
        var kept = new PriorityQueue<ConfigEntity, double>();
        var keptIndices = new HashSet<long>();
        var range = scores.Max() - scores.Min();
        var temperature = options.Temperature * (range > 0 ? range : 1);
        var movable = Enumerable.Range(0, space.Knobs.Count).Where(k => space.Knobs[k].Count > 1).ToArray();

        bool Offer(ConfigEntity config, double value)
        {
            if (kept.Count >= count && kept.TryPeek(out _, out var worst) && value <= worst) return false;
            if (keptIndices.Contains(config.Index) || excluded(config.Index)) return false;
            kept.Enqueue(config, value);
            keptIndices.Add(config.Index);
            if (kept.Count > count) keptIndices.Remove(kept.Dequeue().Index);
            return true;
        }

        for (var i = 0; i < walkers.Count; i++) Offer(walkers[i], scores[i]);
        var unchanged = 0;
        for (var step = 0; step < options.Steps && unchanged < options.EarlyStop; step++)
        {
            var changed = false;
            var t = temperature * (1 - (double)step / options.Steps);
            for (var i = 0; i < walkers.Count; i++)
            {
                var next = Neighbour(space, movable, walkers[i], random);
                var value = score(next);
                if (value >= scores[i] || random.NextDouble() < Math.Exp((value - scores[i]) / Math.Max(t, 1e-12)))
                {
                    walkers[i] = next;
                    scores[i] = value;
                }
                changed |= Offer(next, value);
            }
            unchanged = changed ? 0 : unchanged + 1;
        }
        var found = new List<(ConfigEntity Config, double Score)>();
        while (kept.TryDequeue(out var config, out var value)) found.Add((config, value));
        return found.OrderByDescending(p => p.Score).Select(p => p.Config).ToList();
    }

    /// <summary>The config with one knob moved to another candidate.</summary>
    private static ConfigEntity Neighbour(ConfigSpace space, int[] movable, ConfigEntity config, Random random)
    {
        if (movable.Length == 0) return config;
        var knob = movable[random.Next(movable.Length)];
        var digits = config.Digits.ToArray();
        var candidate = random.Next(space.Knobs[knob].Count - 1);
        digits[knob] = candidate >= digits[knob] ? candidate + 1 : candidate;
        return space.FromDigits(digits);
    }
}
