using System.Diagnostics;
using Tessel.Runtime.Steps;

namespace Tessel.Runtime;

/// <summary>A model ready to run: its steps in order over buffers allocated once, and the loaded kernels they
/// call. It holds no trace of how it was planned (no graph, records or compiler): running a model needs only
/// this floor and the ones below it.</summary>
public sealed class ExecutionPlan
{
    private readonly IStep[] steps;
    private readonly float[] input;
    private readonly float[][] outputs;

    /// <summary>Holds what the steps need alive while they run (the kernels' load context).</summary>
    private readonly object? owner;

    /// <param name="input">the buffer the model's single input is copied into</param>
    /// <param name="outputs">the buffers the model's outputs are left in, in order</param>
    public ExecutionPlan(IEnumerable<IStep> steps, IReadOnlyList<StepLabel> labels, float[] input, float[][] outputs, object? owner)
    {
        this.steps = steps.ToArray();
        if (labels.Count != this.steps.Length)
            throw new ArgumentException($"{labels.Count} labels for {this.steps.Length} steps", nameof(labels));
        Labels = labels;
        this.input = input;
        this.outputs = outputs;
        this.owner = owner;
    }

    public IReadOnlyList<StepLabel> Labels { get; }

    public int InputLength => input.Length;

    /// <summary>The buffer the model's input is read from: a caller may fill it and call <see cref="RunSteps"/>.</summary>
    internal Span<float> Input => input;

    /// <summary>The buffer output <paramref name="index"/> is left in after <see cref="RunSteps"/>.</summary>
    internal ReadOnlySpan<float> Output(int index) => outputs[index];

    public int OutputCount => outputs.Length;

    /// <summary>Runs the plan on <paramref name="data"/> and returns copies of its outputs in order.</summary>
    public float[][] Run(float[] data)
    {
        if (data.Length != input.Length) throw new ArgumentException($"input has {data.Length} values, expected {input.Length}", nameof(data));
        data.CopyTo(input, 0);
        RunSteps();
        return outputs.Select(o => (float[])o.Clone()).ToArray();
    }

    /// <summary>Runs every step on the data the input buffer holds: what a latency measurement times.</summary>
    public void RunSteps()
    {
        foreach (var step in steps) step.Run();
        GC.KeepAlive(owner);
    }

    /// <summary>Each step's median seconds over <paramref name="runs"/> runs of the whole model in order (its
    /// data where the previous steps left it), and again when run a second time at once (its data now as warm
    /// as the cache allows): the gap between the two is what running inside the model costs the step.</summary>
    public IReadOnlyList<StepProfile> ProfileSteps(float[] data, int runs)
    {
        Run(data);
        var inSequence = new double[steps.Length, runs];
        var warm = new double[steps.Length, runs];
        for (var r = 0; r < runs; r++)
            for (var i = 0; i < steps.Length; i++)
            {
                var start = Stopwatch.GetTimestamp();
                steps[i].Run();
                var middle = Stopwatch.GetTimestamp();
                steps[i].Run();
                inSequence[i, r] = Stopwatch.GetElapsedTime(start, middle).TotalSeconds;
                warm[i, r] = Stopwatch.GetElapsedTime(middle).TotalSeconds;
            }
        GC.KeepAlive(owner);
        return Labels.Select((label, i) => new StepProfile(label, Median(inSequence, i), Median(warm, i))).ToList();

        static double Median(double[,] times, int step) =>
            Enumerable.Range(0, times.GetLength(1)).Select(r => times[step, r]).Order().ElementAt(times.GetLength(1) / 2);
    }
}
