using Tessel.Graph;
using Tessel.Measure.Timing;
using Tessel.Records;
using Tessel.Runtime;
using Tessel.Selective;
using Tessel.Tasks;
using Tessel.Workloads;

namespace Tessel.Planning;

/// <summary>A model compiled to run on this CPU: each conv, depthwise conv and dense runs the best kernel
/// of the given logs for its workload (where the logs have none, its zero-trial start if one is given: shipped
/// records, a similar workload's config; else the default config), with a following
/// BatchNormalization folded into its weights and a following activation fused into its epilogue (inside the
/// kernel's stores where the template can, <see cref="Templates.FusedEpilogue"/>); every
/// other op runs a plain kernel. All kernels are compiled in one batch and every buffer is allocated once.</summary>
public sealed class CompiledModel
{
    private CompiledModel(ModelGraph graph, CompiledPlan compiled)
    {
        Graph = graph;
        Compiled = compiled;
        KernelsFromLog = compiled.Counts.FromLog;
        KernelsShipped = compiled.Counts.Shipped;
        KernelsSimilar = compiled.Counts.Similar;
        KernelsDefault = compiled.Counts.Default;
        StartOffered = (KernelsShipped, KernelsSimilar);
    }

    public ModelGraph Graph { get; }

    /// <summary>What runs: the steps over their buffers, with the kernels loaded.</summary>
    public ExecutionPlan Plan => Compiled.Plan;

    /// <summary>The plan as data, with its constants and kernels: what <c>tessel build</c> writes out.</summary>
    public CompiledPlan Compiled { get; }

    /// <summary>Tuned ops (each occurrence) whose config came from the logs, from shipped records, from a similar
    /// workload, and those that ran the default (<see cref="ConfigSource"/>).</summary>
    public int KernelsFromLog { get; }
    public int KernelsShipped { get; }
    public int KernelsSimilar { get; }
    public int KernelsDefault { get; }

    /// <summary>Compiles the model with the logs' kernels. Where layout policies (<see cref="LayoutPolicy"/>) lead to
    /// different kernel choices, each distinct plan is compiled and timed on the sample input, and the fastest is
    /// kept: a plan's cost is not the sum of its kernels' tuned times (inside a model a kernel's input and
    /// weights come from memory, not from the cache a repeated measurement leaves warm; ResNet-50's tuned
    /// times summed to 54 ms and ran in 78), so plans are measured rather than estimated. With no logs every
    /// kernel runs its primary template's default, in NCHW. <paramref name="start"/>: what a node with nothing logged
    /// starts from (null: its default).</summary>
    public static CompiledModel Compile(ModelGraph graph, HistoryBest? history, int threads, Target? target = null, ZeroTrialStart? start = null)
    {
        var models = CompileEachPlan(graph, history, threads, target, start);
        if (models.Count == 1) return models[0];
        var seconds = FastestRuns(models, SampleInput(graph), rounds: 5);
        var fastest = models[Array.IndexOf(seconds, seconds.Min())];
        fastest.PlansTimed = models.Select((m, i) => (m.Policy, seconds[i])).ToList();
        var offered = models.MaxBy(m => m.KernelsShipped + m.KernelsSimilar)!;
        fastest.StartOffered = (offered.KernelsShipped, offered.KernelsSimilar);
        return fastest;
    }

    /// <summary>The most tuned ops any plan timed at compile time took from shipped and from similar records: where the
    /// kept plan is the one of defaults (a zero-trial start that timed slower), what the start had offered.</summary>
    public (int Shipped, int Similar) StartOffered { get; private set; }

    /// <summary>The model compiled once for each distinct plan the layout policies lead to (one model where they all
    /// agree, or where there are neither logs nor a start), timing none: for a caller that measures the plans itself.</summary>
    public static IReadOnlyList<CompiledModel> CompileEachPlan(ModelGraph graph, HistoryBest? history, int threads, Target? target = null,
        ZeroTrialStart? start = null)
    {
        var t = target ?? Target.Host;
        if (history is null && start is null) return [Build(graph, null, threads, t, LayoutPolicy.Greedy)];
        var plans = LayoutPolicy.All
            .Select(p => (policy: p, choices: new ModelCompiler(graph, history, threads, t, p, start).Choices()))
            .DistinctBy(p => p.choices, StringComparer.Ordinal)
            .Select(p => Build(graph, history, threads, t, p.policy, start)).ToList();
        // Configs taken from shipped or similar records were measured elsewhere, alone: the plan without them (the
        // log's kernels, the templates' defaults elsewhere) is timed beside them, so that a zero-trial start is never
        // kept where it runs slower than the defaults it stands in for.
        if (start is not null && plans.Any(m => m.KernelsShipped + m.KernelsSimilar > 0))
            plans.Add(Build(graph, history, threads, t, LayoutPolicy.Greedy, start: null, name: $"{LayoutPolicy.Greedy}, {NoStart}"));
        return plans;
    }

    /// <summary>How <see cref="Policy"/> names the plan that takes no config from a zero-trial start.</summary>
    public const string NoStart = "no shipped or similar configs";

    /// <summary>Each model's fastest run over <paramref name="rounds"/> rounds that take turns between the models, so
    /// a slow spell of a noisy host falls on all of them alike.</summary>
    private static double[] FastestRuns(IReadOnlyList<CompiledModel> models, float[] data, int rounds)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return LatencyTimer.System.InTurns(models.Select(m => m.Calls(data)).ToList(), LatencyProtocol.SingleCalls(1), rounds)
            .Select(s => s.Min).ToArray();
    }

    /// <summary>Compiles the plan of one layout policy, timing none.</summary>
    internal static CompiledModel Build(ModelGraph graph, HistoryBest? history, int threads, Target target, LayoutPolicy policy, ZeroTrialStart? start = null,
        string? name = null)
    {
        var compiled = new ModelCompiler(graph, history, threads, target, policy, start).Compile();
        return new CompiledModel(graph, compiled) { Policy = name ?? policy.ToString() };
    }

    /// <summary>The distinct plans compared when the model was compiled, with the seconds each took (empty where
    /// every policy chose the same kernels).</summary>
    public IReadOnlyList<(string Policy, double Seconds)> PlansTimed { get; private set; } = [];

    /// <summary>The layout policy the kernels were chosen under (<see cref="LayoutPolicy"/>).</summary>
    public string Policy { get; private init; } = "greedy";

    /// <summary>A fixed random input for the model's single input (uniform in [-1, 1), seed 7): what latency
    /// runs and comparisons with ONNX Runtime feed the model.</summary>
    public static float[] SampleInput(ModelGraph graph) => SampleInputs.Uniform(graph.Inputs.Single().Value.Aggregate(1, (a, b) => a * b));

    /// <summary>Runs the model on <paramref name="data"/> (the single input, NCHW) and returns its outputs in order.</summary>
    public float[][] Run(float[] data) =>
        data.Length == Plan.InputLength ? Plan.Run(data) : throw new ArgumentException($"{Graph.Name}: input has {data.Length} values, expected {Plan.InputLength}");

    /// <summary>Seconds per run spent in each kind of step (a kernel's task name, or a plain op's type): each
    /// step's median in the model's order over <paramref name="runs"/> runs, summed by kind: where a model's time goes.</summary>
    public IReadOnlyDictionary<string, double> Profile(float[] data, int runs = 5) =>
        StepProfile.ByKind(ProfileSteps(data, runs));

    /// <summary>Each step's median seconds over <paramref name="runs"/> runs of the whole model in order (its
    /// data where the previous steps left it), and again when run a second time at once (its data now as warm
    /// as the cache allows): the gap between the two is what running inside the model costs the step.</summary>
    public IReadOnlyList<StepProfile> ProfileSteps(float[] data, int runs = 21) => Plan.ProfileSteps(data, runs);

    /// <summary>Runs of the model on <paramref name="data"/> as the timing engine calls them (the data loaded once):
    /// what every latency of a compiled model is measured on.</summary>
    public Action<long> Calls(float[] data)
    {
        Run(data);
        return calls =>
        {
            for (long i = 0; i < calls; i++) Plan.RunSteps();
        };
    }

    /// <summary>Median seconds of one run, by the <see cref="LatencyProtocol"/>: a warm-up run, then repeats of at
    /// least <paramref name="minRepeatMs"/> each.</summary>
    public double MedianLatencySeconds(float[] data, double minRepeatMs = 200, int repeats = 5)
    {
        // Collect the compiler's garbage first: a background collection running beside the timed runs takes a
        // core from a two-thread model (runs of ResNet-50 at two threads went 40 or 60 ms by whether one did).
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return LatencyTimer.System.Measure(Calls(data), new LatencyProtocol(WarmUpCalls: 0, minRepeatMs, repeats)).Median;
    }
}
