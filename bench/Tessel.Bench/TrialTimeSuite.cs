using System.Diagnostics;
using Tessel.Graph.Zoo;
using Tessel.Measure;
using Tessel.Records;
using Tessel.Runtime.Artifacts;
using Tessel.Tasks;
using Tessel.Tuners;
using Tessel.Tuning;
using Tessel.Workloads;

namespace Tessel.Bench;

/// <summary>Where a trial's time goes (issue 30, item 4): a model's tasks tuned one after another by the model tuner, as
/// `tessel tune` does, with every trial's stages taken from the measurer — emitting, compiling, the reference output, sending tensors and
/// images to the worker, preparing, the first call (JIT) and check, the pilot, the timed repeats, the pipe — and the
/// tuner's own time (proposing, fitting its model, writing the log) as what the run's wall clock holds beyond its
/// batches. Beside it, the spread of each trial's repeats: a faster trial must not be a noisier one.</summary>
public static class TrialTimeSuite
{
    public static async Task<string> RunAsync(string model, int trialsPerTask, int threads, TextWriter progress, CancellationToken ct = default)
    {
        var tasks = TaskExtraction.Extract(ModelZoo.Build(model), Target.Host).Select(t => t.Task).ToList();
        var measure = new MeasureOptions { Threads = threads };
        var log = Path.Combine(Path.GetTempPath(), $"tessel-trials-{Environment.ProcessId}.jsonl");
        File.Delete(log);
        await using var local = new LocalMeasurer(measure);
        var startClock = Stopwatch.StartNew();
        await local.StartAsync(ct); // the compiler warmed and the worker started, as before a run's first batch
        var start = startClock.Elapsed.TotalSeconds;
        var recorder = new RecordingMeasurer(local);
        progress.WriteLine($"[{model}] {tasks.Count} tasks, {trialsPerTask} trials each, model tuner, {threads} thread(s)...");
        var clock = Stopwatch.StartNew();
        await FullTuning.RunAsync(tasks, TuningSession.Named(recorder, new LogFile(log), new TuneOptions { Trials = trialsPerTask, Measure = measure }, "model", 1)
            with { Cancellation = ct });
        var wall = clock.Elapsed.TotalSeconds;
        File.Delete(log);
        return $"Host: {HostCpu.Describe()}, FMA peak {FmaPeak.Measure(threads):F0} GFLOP/s at {threads} thread(s), measured after the run.\n\n" +
            Report(model, threads, start, wall, recorder);
    }

    private static string Report(string model, int threads, double start, double wall, RecordingMeasurer run)
    {
        var results = run.Results;
        var stages = results.Select(r => r.Stages).OfType<TrialStages>().ToList();
        var workers = stages.Select(s => s.Worker).OfType<WorkerStages>().ToList();
        var measured = results.Sum(r => r.AllCost);
        (string Stage, double Seconds)[] rows =
        [
            ("emit (kernel source)", stages.Sum(s => s.EmitSeconds)),
            ("compile (the batch's one Roslyn compilation, shared out)", stages.Sum(s => s.CompileSeconds)),
            ("the task's reference output, by the plain kernel (once a task)", stages.Sum(s => s.ReferenceSeconds)),
            ("task tensors to the worker (once a task)", stages.Sum(s => s.TaskLoadSeconds)),
            ("kernel image to the worker (once a batch)", stages.Sum(s => s.ImageLoadSeconds)),
            ("prepare (create, pack weights)", workers.Sum(w => w.PrepareSeconds)),
            ("first call (JIT) and correctness check", workers.Sum(w => w.FirstCallSeconds)),
            ("pilot (sizing the repeats)", workers.Sum(w => w.PilotSeconds)),
            ("timed repeats", workers.Sum(w => w.RepeatsSeconds)),
            ("pipe and worker scheduling", stages.Sum(s => s.ExchangeSeconds)),
            ("trials without stages (failed builds, dead workers)", results.Where(r => r.Stages is null).Sum(r => r.AllCost)),
            ("between trials (log writes, image unload)", run.BatchSeconds - measured),
            ("tuner: proposing configs, fitting its model", wall - run.BatchSeconds),
        ];
        var lines = new List<string>
        {
            $"{model}: {results.Count} trials in {Stats.F(wall)} s of wall clock = **{Stats.F(results.Count / wall, 2)} trials/s** ({threads} thread(s); " +
                $"warming the compiler and starting the worker took {Stats.F(start, 2)} s before it).",
            "",
            "| stage | s | ms a trial | share of the wall clock |",
            "|---|---|---|---|",
        };
        lines.AddRange(rows.Select(r => $"| {r.Stage} | {Stats.F(r.Seconds, 2)} | {Stats.F(1e3 * r.Seconds / results.Count, 2)} | {Stats.F(100 * r.Seconds / wall, 1)}% |"));
        var spreads = results.Where(r => r.IsValid && r.Costs.Count > 1).Select(r => r.Costs.Max() / r.Costs.Min() - 1).Order().ToList();
        if (spreads.Count > 0)
            lines.Add($"\nRepeat spread (max / min - 1 of a trial's repeats, {spreads.Count} valid trials): median {Stats.F(100 * Stats.Median(spreads), 2)}%, " +
                $"90th percentile {Stats.F(100 * spreads[(int)(0.9 * (spreads.Count - 1))], 1)}%, over 30% in {Stats.F(100.0 * spreads.Count(s => s > 0.3) / spreads.Count, 1)}% of trials, " +
                $"worst {Stats.F(100 * spreads[^1], 0)}%.");
        return string.Join("\n", lines) + "\n";
    }

    /// <summary>Passes every batch to the measurer, keeping its results and the time the batches took.</summary>
    private sealed class RecordingMeasurer(IMeasurer inner) : IMeasurer
    {
        public List<MeasureResult> Results { get; } = [];

        public double BatchSeconds { get; private set; }

        public async Task<IReadOnlyList<MeasureResult>> MeasureAsync(
            IReadOnlyList<MeasureInput> inputs, CancellationToken cancellationToken = default, Action<int, MeasureResult>? onResult = null)
        {
            var clock = Stopwatch.StartNew();
            var results = await inner.MeasureAsync(inputs, cancellationToken, onResult).ConfigureAwait(false);
            BatchSeconds += clock.Elapsed.TotalSeconds;
            Results.AddRange(results);
            return results;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
