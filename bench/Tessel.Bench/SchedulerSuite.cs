using System.Diagnostics;
using System.Text;
using Tessel.Graph.Zoo;
using Tessel.Measure;
using Tessel.Records;
using Tessel.Runtime;
using Tessel.Scheduling;
using Tessel.Tasks;
using Tessel.Tuners;
using TaskScheduler = Tessel.Scheduling.TaskScheduler;

namespace Tessel.Bench;

/// <summary>One model, one total trial budget, two ways to spend it (issue 7): round-robin rounds against
/// Ansor's gradient scheduler, both with the model-based tuner and the same seed, each into its own log
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
        var runs = new List<(SchedulingStrategy Strategy, string Log, double Seconds, IReadOnlyList<TuneResult> Results)>();
        await using (var measurer = new LocalMeasurer(measureOptions))
        {
            foreach (var strategy in strategies)
            {
                var log = Path.Combine(dir, $"{model}-{strategy.ToString().ToLowerInvariant()}-model-{total}.jsonl");
                var clock = Stopwatch.StartNew();
                var results = await TaskScheduler.RunAsync(tasks, strategy, total, t => TunerRegistry.Create("model", t, 1), measurer,
                    new TuneOptions { Trials = RoundTrials, BatchSize = RoundTrials, Measure = measureOptions }, log,
                    r => { if (r.Round % 10 == 0) progress.WriteLine($"[{strategy} round {r.Round}] {r.Spent}/{r.Total} trials"); },
                    progress.WriteLine, seed: 1, ct);
                runs.Add((strategy, log, clock.Elapsed.TotalSeconds, results));
            }
        }

        // Latency of the model with each log, alternating so that the machine's drift hits both alike.
        var data = CompiledModel.SampleInput(graph);
        var compiled = runs.Select(r => CompiledModel.Compile(graph, HistoryBest.Load(r.Log, progress.WriteLine), threads: 1)).ToList();
        var latencies = runs.Select(_ => new List<double>()).ToList();
        for (var repeat = 0; repeat < 3; repeat++)
            for (var i = 0; i < compiled.Count; i++)
                latencies[i].Add(compiled[i].MedianLatencySeconds(data) * 1e3);

        var b = new StringBuilder();
        b.AppendLine($"`{model}`, {tasks.Count} tasks, {total} trials in all ({trialsPerTask} per task on average) in rounds of {RoundTrials}, model-based tuner, seed 1, one thread:");
        b.AppendLine();
        b.AppendLine("| strategy | tuning s | sum of count x best task latency (ms) | model latency (ms, median of 3) | trials per task (min-max) |");
        b.AppendLine("|---|---|---|---|---|");
        for (var i = 0; i < runs.Count; i++)
        {
            var (strategy, _, seconds, results) = runs[i];
            var objective = tasks.Select((t, j) => t.Count * results[j].BestSeconds).Where(double.IsFinite).Sum() * 1e3;
            var trials = results.Select(r => r.Trials).ToList();
            b.AppendLine($"| {SchedulingStrategies.Names[(int)strategy]} | {Stats.F(seconds, 0)} | {Stats.F(objective, 2)} | {Stats.F(Stats.Median(latencies[i]), 2)} | {trials.Min()}-{trials.Max()} |");
        }
        b.AppendLine();
        b.AppendLine("The sum counts both implementations of a 3x3 conv (direct and Winograd); the runtime runs the faster one.");
        return b.ToString();
    }
}
