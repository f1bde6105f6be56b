namespace Tessel.Measure.Timing;

/// <summary>How a latency is measured, the one protocol behind every latency Tessel reports outside the worker (a
/// model's run, a plan choice, ONNX Runtime's reference, the benches): <see cref="WarmUpCalls"/> untimed calls; a
/// pilot that doubles the calls until a repeat lasts <see cref="MinRepeatMs"/>; <see cref="Repeats"/> timed
/// repeats of that many calls, each giving one mean per call. Candidates compared with each other are measured in
/// turns (<see cref="LatencyTimer.InTurns"/>) so that a slow spell of the machine falls on all of them alike. The
/// worker's tuning trials use the same pilot and repeats (<see cref="RepeatTimer"/>), with a cool-down and an
/// optional cache flush of their own.</summary>
public sealed record LatencyProtocol(int WarmUpCalls = 1, double MinRepeatMs = 50, int Repeats = 7)
{
    /// <summary>One call per repeat and no pilot: a whole model's run, compared in turns with other plans.</summary>
    public static LatencyProtocol SingleCalls(int repeats) => new(WarmUpCalls: 1, MinRepeatMs: 0, Repeats: repeats);
}
