using Tessel.Kernels;
using System.Text.Json.Nodes;
using Tessel.Graph.Onnx;
using Tessel.Graph;
using Tessel.Spaces;
using Tessel.Workloads;

namespace Tessel.Templates.Dense;

/// <summary>Dense (fully connected) layer for x86 CPUs: data [N, K], weight [M, K], output [N, M].
/// Knobs: <c>tile_m</c> and <c>tile_n</c> (the register tile of outputs), <c>tile_k</c> (reduction chunk,
/// powers of two: a chunk only sets how much weight stays in cache across batch rows, so a power-of-two
/// grid covers it without multiplying the space), <c>vec</c> ("k": dot products along k on the weight as
/// it is; "m": weights packed so one vector holds 8 or 16 outputs), <c>unroll_k</c>, <c>parallel</c>
/// (output tiles shared among threads through the work pool, one contiguous run of tiles per thread) and <c>vec_bits</c> (256- or, on AVX-512 targets,
/// 512-bit vectors). Every tile size is valid: tails get their own code.</summary>
public sealed class DenseTemplate : ITemplate
{
    public const string Name = "dense.x86";

    public static DenseTemplate Instance { get; } = new();

    private DenseTemplate() { }

    public string TaskName => Name;

    public string? OpName => "dense";

    public Workload WarmUpWorkload => Workload([1, 16], [8, 16]);

    public Workload? FromNode(ModelGraph graph, Node node) =>
        node.OpType is "Gemm" or "MatMul" && DenseShape(graph, node) is { } dense ? Workload(dense.Data, dense.Weight) : null;

    /// <summary>A Gemm or MatMul that is a dense layer: a constant weight matrix, no transposed data, unit
    /// scales, and a bias (if any) of one value per output unit. Its data as [M, K] (leading dims of a MatMul
    /// flattened) and its weight as [N, K], the dense template's layout.</summary>
    private static (int[] Data, int[] Weight)? DenseShape(ModelGraph graph, Node node)
    {
        if (!graph.Initializers.ContainsKey(node.Inputs[1])) return null;
        var data = graph.Shape(node.Inputs[0]);
        var weight = graph.Shape(node.Inputs[1]);
        if (weight.Length != 2 || data.Length < 2) return null;
        if (node.OpType == "MatMul") return ([data[..^1].Aggregate(1, (a, b) => a * b), data[^1]], [weight[1], weight[0]]);
        if (node.Int("transA", 0) == 1 || node.Float("alpha", 1) != 1 || node.Float("beta", 1) != 1) return null;
        var units = node.Int("transB", 0) == 1 ? weight[0] : weight[1];
        if (node.Inputs.Count > 2 && node.Inputs[2].Length > 0 && graph.Shape(node.Inputs[2]).Aggregate(1, (a, b) => a * b) != units) return null;
        return (data, node.Int("transB", 0) == 1 ? weight : [weight[1], weight[0]]);
    }

    public Workload FromOperands(OpOperands o) => Workload(o.Data, o.Kernel);

    public byte[] OnnxModel(Workload w, float[] weight) => SingleOpModel.Dense(w.TensorShape(0), w.TensorShape(1), weight);

    /// <summary>A dense workload: args <c>[data [N,K], weight [M,K], "float32"]</c>.</summary>
    public static Workload Workload(int[] data, int[] weight)
    {
        static string S(int[] a) => "[" + string.Join(",", a) + "]";
        if (data is not { Length: 2 } || data.Any(d => d < 1))
            throw new ArgumentException($"data must have 2 positive dims (N,K), got {S(data ?? [])}", nameof(data));
        if (weight is not { Length: 2 } || weight.Any(d => d < 1))
            throw new ArgumentException($"weight must have 2 positive dims (M,K), got {S(weight ?? [])}", nameof(weight));
        if (data[1] != weight[1])
            throw new ArgumentException($"data {S(data)} and weight {S(weight)} disagree on K ({data[1]} vs {weight[1]})", nameof(weight));
        return new Workload(Name, new JsonArray(Workloads.Workload.Tensor(data), Workloads.Workload.Tensor(weight), "float32"));
    }

    public ConfigSpace DefineSpace(Workload workload, Target target)
    {
        var p = DenseParams.From(workload);
        var space = new ConfigSpace();
        space.Define(new SplitKnob("tile_m", p.M, SplitPolicy.All, maxFactor: 32));
        space.Define(new SplitKnob("tile_n", p.N, SplitPolicy.All, maxFactor: 8));
        space.Define(new SplitKnob("tile_k", p.K, SplitPolicy.Power2));
        space.Define(new ChoiceKnob("vec", "m", "k"));
        space.Define(new AnnotateKnob("unroll_k", ["k"], [["unroll"], ["none"]]));
        space.Define(new AnnotateKnob("parallel", ["m"], [["parallel"], ["none"]]));
        VectorWidth.Define(space, target);
        return space;
    }

    public ConfigEntity DefaultConfig(ConfigSpace space, Workload workload)
    {
        var p = DenseParams.From(workload);
        // Packed weights streamed once, the whole of K per chunk. At batch 1 (a matrix-vector product, bound by reading the
        // weights) 16 outputs a panel, unrolled: two ymm accumulators for even k and two for odd, four FMA chains in flight
        // (with two, the FMA latency held 2048->1000 to 54 GB/s on a Zen 5 core that reads it at 100; this tile was the
        // fastest of 150 trials at 1 and 2 threads on Zen 4: 88 and 160 GB/s). At larger batches 16 outputs (2 ymm) per row
        // of data over 4 rows: 8 accumulators, each weight load used 4 times.
        var values = new Dictionary<string, KnobValue>
        {
            ["tile_m"] = new SplitValue([Math.Min(16, p.M)]),
            ["tile_n"] = new SplitValue([Math.Min(4, p.N)]),
            ["tile_k"] = new SplitValue([SplitKnob.Sizes(p.K, SplitPolicy.Power2, null)[^1]]),
            ["vec"] = new ChoiceValue("m"),
            ["unroll_k"] = new AnnotateValue([p.N == 1 ? "unroll" : "none"]),
            ["parallel"] = new AnnotateValue(["parallel"]),
            // The known-fast 256-bit tile; 512-bit ones are in the space for the tuner.
            [VectorWidth.KnobName] = new ChoiceValue("256"),
        };
        return space.FromValues(values)!;
    }

    public long Flops(Workload workload) => DenseParams.From(workload).Flops;

    public KernelShapes Shapes(Workload workload)
    {
        var p = DenseParams.From(workload);
        return new KernelShapes([p.N, p.K], [p.M, p.K], [p.N, p.M]);
    }

    /// <summary>An output unit is a channel: its bias and activation apply on the last reduction chunk's stores.</summary>
    public bool FusesEpilogue => true;

    public string EmitKernel(Workload workload, ConfigEntity config, string className, FusedEpilogue? epilogue = null) =>
        DenseEmitter.Emit(DenseParams.From(workload), DenseSchedule.From(config), className, epilogue);

    public void Reference(Workload workload, ReadOnlySpan<float> data, ReadOnlySpan<float> weight, Span<float> output)
    {
        var p = DenseParams.From(workload);
        ScalarKernels.Dense(data, weight, output, p.N, p.K, p.M);
    }
}
