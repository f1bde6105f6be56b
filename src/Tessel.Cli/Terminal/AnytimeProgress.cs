using Spectre.Console;
using Tessel.Measure;
using Tessel.Tasks;
using Tessel.Tuners;
using Tessel.Tuning;

namespace Tessel.Cli.Terminal;

/// <summary>The status line of a run bounded by time (<c>--time-budget</c>), every few seconds on stderr: time used and
/// left, trials measured, and the model's estimated latency (occurrences x best per operator) as it falls.</summary>
public sealed class AnytimeProgress(Deadline deadline, LatencyEstimate estimate) : ITuneCallback
{
    public Deadline Deadline => deadline;

    public LatencyEstimate Estimate => estimate;

    private static readonly TimeSpan Every = TimeSpan.FromSeconds(5);
    private readonly Lock gate = new();
    private TimeSpan last = -Every;
    private int trials;

    public void OnTrial(TuningTask task, MeasureInput input, MeasureResult result) => Interlocked.Increment(ref trials);

    public void OnRound(TuningTask task, IReadOnlyList<MeasureInput> inputs, IReadOnlyList<MeasureResult> results, TuneProgress progress)
    {
        lock (gate)
        {
            if (deadline.Elapsed - last < Every) return;
            last = deadline.Elapsed;
        }
        Consoles.Error.WriteLine(Line());
    }

    /// <summary><c>[time 0:42 of 2:00, 1:18 left] 530 trials; model estimate 3.41 ms (2 of 30 operators not measured yet)</c></summary>
    public string Line()
    {
        var unmeasured = estimate.Unmeasured;
        var model = estimate.Operators == unmeasured ? "no operator measured yet"
            : $"model estimate {estimate.Seconds * 1e3:F2} ms" + (unmeasured > 0 ? $" ({unmeasured} of {estimate.Operators} operators not measured yet)" : "");
        return $"[time {Clock(deadline.Elapsed)} of {Clock(deadline.Budget)}, {Clock(deadline.Remaining)} left] {Volatile.Read(ref trials)} trials; {model}";
    }

    private static string Clock(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t:mm\\:ss}" : $"{(int)t.TotalMinutes}:{t:ss}";
}
