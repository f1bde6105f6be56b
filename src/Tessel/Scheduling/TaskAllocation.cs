namespace Tessel.Scheduling;

/// <summary>Which task gets the next round of trials, from how each task's best latency has moved (the
/// scheduler's decision, kept apart from tuning so it can be tested with made-up latencies).
/// Every task gets one round first. Then round-robin cycles; gradient follows Ansor's task scheduler: the
/// objective is the weighted sum of best latencies (weight = occurrences in the model), and the next round
/// goes to the task whose d(objective)/d(trials) is most negative, estimated as weight x (alpha x the
/// recent improvement per round + (1 - alpha) x an optimistic forecast: a task's latency could fall by
/// best/rounds in its next round, but not below what its fastest similar task (same template) reaches
/// in throughput times beta). Implementations of one operator (a 3x3 conv's direct and Winograd tasks)
/// count once in the objective, at the faster one's latency: the slower one's next round is worth only
/// what its forecast would take below the faster one.</summary>
public sealed class TaskAllocation
{
    private readonly SchedulingStrategy strategy;
    private readonly TaskAllocationOptions options;
    private readonly Random random;
    private readonly State[] states;
    private int cursor = -1;

    public TaskAllocation(IReadOnlyList<SchedulableTask> tasks, SchedulingStrategy strategy, TaskAllocationOptions? options = null, int? seed = null)
    {
        if (strategy == SchedulingStrategy.Sequential) throw new ArgumentException("sequential tuning allocates no rounds", nameof(strategy));
        this.strategy = strategy;
        this.options = options ?? new TaskAllocationOptions();
        random = new Random(seed ?? 0);
        states = tasks.Select(t => new State(t)).ToArray();
    }

    /// <summary>Rounds given to each task so far.</summary>
    public IReadOnlyList<int> Rounds => states.Select(s => s.History.Count).ToArray();

    /// <summary>The task for the next round, or -1 when every task is finished.</summary>
    public int Next()
    {
        var open = Enumerable.Range(0, states.Length).Where(i => !states[i].Finished).ToList();
        if (open.Count == 0) return -1;
        var fresh = open.FirstOrDefault(i => states[i].History.Count == 0, -1);
        if (fresh >= 0) return fresh;
        if (strategy == SchedulingStrategy.RoundRobin)
        {
            do cursor = (cursor + 1) % states.Length; while (states[cursor].Finished);
            return cursor;
        }
        if (random.NextDouble() < options.Epsilon) return open[random.Next(open.Count)];
        var gradients = open.ToDictionary(i => i, Gradient);
        var min = gradients.Values.Min();
        return gradients.Values.Max() == min ? open[random.Next(open.Count)] : gradients.First(g => g.Value == min).Key;
    }

    /// <summary>Records a finished round: the task's best latency after it (infinite while nothing ran) and
    /// whether the task can take more (false when its space is exhausted).</summary>
    public void Report(int task, double bestSeconds, bool canContinue)
    {
        var state = states[task];
        var improved = state.History.Count == 0 || bestSeconds < state.History[^1];
        state.History.Add(bestSeconds);
        state.RoundsWithoutGain = improved ? 0 : state.RoundsWithoutGain + 1;
        state.Finished = !canContinue || (options.GiveUpAfter is { } patience && state.RoundsWithoutGain >= patience);
    }

    private double Gradient(int i)
    {
        var s = states[i];
        var best = s.History[^1];
        var rounds = s.History.Count;
        // Nothing valid yet: worth another round before anything else, twice; then only the random rounds.
        if (!double.IsFinite(best)) return rounds < 3 ? double.NegativeInfinity : 0;
        var window = options.BackwardWindow;
        var backward = rounds > window && double.IsFinite(s.History[^(window + 1)]) ? (best - s.History[^(window + 1)]) / window : 0;
        var next = best - best / rounds;
        var similar = states.Where(o => o.Task.Similar == s.Task.Similar && o.History.Count > 0 && double.IsFinite(o.History[^1])).ToList();
        if (similar.Count > 1)
        {
            var bestThroughput = similar.Max(o => o.Task.Flops / o.History[^1]);
            next = Math.Min(next, options.Beta * s.Task.Flops / bestThroughput);
        }
        var rival = states.Where(o => o != s && o.Task.Operator == s.Task.Operator && o.History.Count > 0).Select(o => o.History[^1]).DefaultIfEmpty(double.PositiveInfinity).Min();
        if (rival < best)
            return s.Task.Weight * (1 - options.Alpha) * Math.Min(0, next - rival); // the faster implementation sets the op's latency
        var forward = next - best;
        return s.Task.Weight * (options.Alpha * backward + (1 - options.Alpha) * forward);
    }

    private sealed class State(SchedulableTask task)
    {
        public SchedulableTask Task { get; } = task;
        public List<double> History { get; } = [];
        public int RoundsWithoutGain { get; set; }
        public bool Finished { get; set; }
    }
}
