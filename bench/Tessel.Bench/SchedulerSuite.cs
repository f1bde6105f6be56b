using Tessel.Measure.Timing;
using Tessel.Tuning;
using System.Diagnostics;
using System.Text;
using Tessel.Graph.Zoo;
using Tessel.Measure;
using Tessel.Records;
using Tessel.Runtime;
using Tessel.Scheduling;
using Tessel.Tasks;
using Tessel.Tuners;
using Tessel.Workloads;
using Tessel.Planning;

namespace Tessel.Bench;

/// <summary>One model, one total trial budget, two ways to spend it (issue 7): round-robin rounds against
/// Ansor's gradient scheduler, both with the model-based tuner, two seeds, each run into its own log
/// (resumed if it exists). The model then runs with each log, measured in alternation, one thread.</summary>
public static class SchedulerSuite
{
    /// <summary>Trials per round: a third of the default 24 per task, so that after the warm-up round of
    /// every task two thirds of the budget are the scheduler's to place.</summary>
    private const int RoundTrials = 8;

    public static async Task<string> RunAsync(string model, int trialsPerTask, TextWriter progress, CancellationToken ct = default)
    {
        var graph = ModelZoo.Build(model);
        var tasks = TaskExtraction.Extract(graph, Target.Host).Select(t => t.Task).ToList();
        var total = trialsPerTask * tasks.Count;
        var dir = Path.Combine("artifacts", "bench", "scheduler");
        Directory.CreateDirectory(dir);
        var measureOptions = new MeasureOptions { Threads = 1 };
        var strategies = new[] { SchedulingStrategy.RoundRobin, SchedulingStrategy.Gradient };
        var runs = new List<(SchedulingStrategy Strategy, int Seed, string Log, double Seconds, IReadOnlyList<TuneResult> Results)>();
        await using (var measurer = new LocalMeasurer(measureOptions))
        {
            foreach (var seed in Seeds)
            foreach (var strategy in strategies)
            {
                var log = Path.Combine(dir, $"{model}-{strategy.ToString().ToLowerInvariant()}-model-{total}-seed{seed}.jsonl");
                var clock = Stopwatch.StartNew();
                var session = TuningSession.Named(measurer, new LogFile(log),
                    new TuneOptions { Trials = RoundTrials, BatchSize = RoundTrials, Measure = measureOptions }, "model", seed) with
                {
                    OnRound = r => { if (r.Round % 20 == 0) progress.WriteLine($"[{strategy} seed {seed} round {r.Round}] {r.Spent}/{r.Total} trials"); },
                    Warn = progress.WriteLine,
                    Cancellation = ct,
                };
                var results = await ScheduledTuning.RunAsync(tasks, strategy, total, session);
                runs.Add((strategy, seed, log, clock.Elapsed.TotalSeconds, results));
            }
        }

        // Latency of the model with each log, in alternation so that the machine's drift hits all alike.
        var data = CompiledModel.SampleInput(graph);
        var compiled = runs.Select(r => CompiledModel.Compile(graph, HistoryBest.Load(r.Log, progress.WriteLine), threads: 1)).ToList();
        var latencies = LatencyTimer.System.InTurns(compiled.Select(c => c.Calls(data)).ToList(), new LatencyProtocol(MinRepeatMs: 200, Repeats: 5), rounds: 5)
            .Select(l => l.Median * 1e3).ToList();

        var b = new StringBuilder();
        b.AppendLine($"`{model}`, {tasks.Count} tasks, {total} trials in all ({trialsPerTask} per task on average) in rounds of {RoundTrials}, model-based tuner, one thread:");
        b.AppendLine();
        b.AppendLine("| strategy | seed | tuning s | objective: sum over ops of count x best latency (ms) | model latency (ms, median of 5) | trials per task (min-max) |");
        b.AppendLine("|---|---|---|---|---|---|");
        var objectives = new double[runs.Count];
        for (var i = 0; i < runs.Count; i++)
        {
            var (strategy, seed, _, seconds, results) = runs[i];
            objectives[i] = Objective(tasks, results);
            var trials = results.Select(r => r.Trials).ToList();
            b.AppendLine($"| {SchedulingStrategies.Names[(int)strategy]} | {seed} | {Stats.F(seconds, 0)} | {Stats.F(objectives[i], 2)} | {Stats.F(latencies[i], 2)} | " +
                $"{trials.Min()}-{trials.Max()} |");
        }
        b.AppendLine();
        foreach (var strategy in strategies)
        {
            var mine = Enumerable.Range(0, runs.Count).Where(i => runs[i].Strategy == strategy).ToList();
            b.AppendLine($"- {SchedulingStrategies.Names[(int)strategy]}: mean objective {Stats.F(mine.Average(i => objectives[i]), 2)} ms, mean model latency " +
                $"{Stats.F(mine.Average(i => latencies[i]), 2)} ms, mean tuning {Stats.F(mine.Average(i => runs[i].Seconds), 0)} s");
        }
        b.AppendLine();
        b.AppendLine("The objective counts each operator once, at its faster implementation's best (a 3x3 conv's direct and Winograd tasks), as the runtime runs it.");
        return b.ToString();
    }

    private static readonly int[] Seeds = [1, 2];

    /// <summary>Sum over operators of occurrences x the best latency of their fastest implementation.</summary>
    private static double Objective(IReadOnlyList<TuningTask> tasks, IReadOnlyList<TuneResult> results) =>
        tasks.Select((t, j) => (Op: t.Workload.Args.ToJsonString(), t.Count, results[j].BestSeconds))
            .GroupBy(x => x.Op)
            .Sum(g => g.First().Count * g.Min(x => x.BestSeconds)) * 1e3;
}
