using System.Diagnostics;
using Tessel.Codegen;
using Tessel.Graph;
using Tessel.Records;
using Tessel.Runtime.Steps;
using Tessel.Tasks;

namespace Tessel.Runtime;

/// <summary>A model compiled to run on this CPU: each conv, depthwise conv and dense runs the best kernel
/// of the given logs for its workload (the default config where the logs have none), with a following
/// BatchNormalization folded into its weights and a following activation fused into its epilogue (inside the
/// kernel's stores where the template can, <see cref="Templates.FusedEpilogue"/>); every
/// other op runs a plain kernel. All kernels are compiled in one batch and every buffer is allocated once.</summary>
public sealed class CompiledModel
{
    private readonly List<IStep> steps;
    private readonly List<StepLabel> labels;
    private readonly float[] input;
    private readonly float[][] outputs;

    private CompiledModel(ModelGraph graph, List<IStep> steps, List<StepLabel> labels, float[] input, float[][] outputs, int fromLog, int defaults, KernelLoadContext? context)
    {
        Graph = graph;
        this.steps = steps;
        this.labels = labels;
        this.input = input;
        this.outputs = outputs;
        KernelsFromLog = fromLog;
        KernelsDefault = defaults;
        Context = context;
    }

    public ModelGraph Graph { get; }

    /// <summary>Tuned ops (each occurrence) whose config came from the logs, and those that ran the default.</summary>
    public int KernelsFromLog { get; }
    public int KernelsDefault { get; }

    /// <summary>Holds the compiled kernels for the model's lifetime.</summary>
    private KernelLoadContext? Context { get; }

    public static CompiledModel Compile(ModelGraph graph, HistoryBest? history, int threads, Target? target = null) =>
        new ModelCompiler(graph, history, threads, target ?? Target.Host).Compile(
            (steps, labels, input, outputs, fromLog, defaults, context) => new CompiledModel(graph, steps, labels, input, outputs, fromLog, defaults, context));

    /// <summary>A fixed random input for the model's single input (uniform in [-1, 1), seed 7): what latency
    /// runs and comparisons with ONNX Runtime feed the model.</summary>
    public static float[] SampleInput(ModelGraph graph)
    {
        var random = new Random(7);
        var data = new float[graph.Inputs.Single().Value.Aggregate(1, (a, b) => a * b)];
        for (var i = 0; i < data.Length; i++) data[i] = random.NextSingle() * 2 - 1;
        return data;
    }

    /// <summary>Runs the model on <paramref name="data"/> (the single input, NCHW) and returns its outputs in order.</summary>
    public float[][] Run(float[] data)
    {
        if (data.Length != input.Length) throw new ArgumentException($"{Graph.Name}: input has {data.Length} values, expected {input.Length}");
        data.CopyTo(input, 0);
        foreach (var step in steps) step.Run();
        GC.KeepAlive(Context);
        return outputs.Select(o => (float[])o.Clone()).ToArray();
    }

    /// <summary>Seconds per run spent in each kind of step (a kernel's task name, or a plain op's type): each
    /// step's median in the model's order over <paramref name="runs"/> runs, summed by kind: where a model's time goes.</summary>
    public IReadOnlyDictionary<string, double> Profile(float[] data, int runs = 5) =>
        StepProfile.ByKind(ProfileSteps(data, runs));

    /// <summary>Each step's median seconds over <paramref name="runs"/> runs of the whole model in order (its
    /// data where the previous steps left it), and again when run a second time at once (its data now as warm
    /// as the cache allows): the gap between the two is what running inside the model costs the step.</summary>
    public IReadOnlyList<StepProfile> ProfileSteps(float[] data, int runs = 21)
    {
        Run(data);
        var inSequence = new double[steps.Count, runs];
        var warm = new double[steps.Count, runs];
        for (var r = 0; r < runs; r++)
            for (var i = 0; i < steps.Count; i++)
            {
                var start = Stopwatch.GetTimestamp();
                steps[i].Run();
                var middle = Stopwatch.GetTimestamp();
                steps[i].Run();
                inSequence[i, r] = Stopwatch.GetElapsedTime(start, middle).TotalSeconds;
                warm[i, r] = Stopwatch.GetElapsedTime(middle).TotalSeconds;
            }
        return labels.Select((label, i) => new StepProfile(label, Median(inSequence, i), Median(warm, i))).ToList();

        static double Median(double[,] times, int step) =>
            Enumerable.Range(0, times.GetLength(1)).Select(r => times[step, r]).Order().ElementAt(times.GetLength(1) / 2);
    }

    /// <summary>Median seconds of one run: a warm-up run, then repeats of at least <paramref name="minRepeatMs"/> each.</summary>
    public double MedianLatencySeconds(float[] data, double minRepeatMs = 200, int repeats = 5)
    {
        // Collect the compiler's garbage first: a background collection running beside the timed runs takes a
        // core from a two-thread model (runs of ResNet-50 at two threads went 40 or 60 ms by whether one did).
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Run(data);
        var calls = 1;
        var first = Time(calls);
        calls = Math.Max(1, (int)Math.Ceiling(minRepeatMs / 1000 / first));
        var times = Enumerable.Range(0, repeats).Select(_ => Time(calls) / calls).Order().ToArray();
        return times[times.Length / 2];

        double Time(int n)
        {
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < n; i++)
                foreach (var step in steps) step.Run();
            return Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
    }
}
