using Tessel.Graph;
using Tessel.Graph.Operators;
using Tessel.Planning.Fusion;
using Tessel.Records;
using Tessel.Runtime;
using Tessel.Runtime.Plans;
using Tessel.Runtime.Steps;
using Tessel.Selective;
using Tessel.Tasks;
using Tessel.Templates;
using Tessel.Compilation;
using Tessel.Kernels;
using Tessel.Workloads;
using Tessel.Graph.Rewrites;

namespace Tessel.Planning;

/// <summary>Turns a graph into a plan (<see cref="PlanSpec"/>) and runs it: runs the fusion passes on each tuned node (<see cref="Passes"/>: BatchNormalization,
/// scalar affines and a dense bias folded, the activation after it taken into its epilogue, fused into the kernel's
/// stores where its template can), picks each tuned op's config, compiles every kernel in one batch, and
/// plans buffers once, reusing a tensor's buffer after its last reader (<see cref="BufferPlanner"/>), with the concats
/// whose parts can be written in place removed (<see cref="ConcatPlacement"/>).
/// Steps are planned first (what each reads and writes) and bound to buffers after. A kernel in channel-blocked
/// layouts writes its output blocked, a residual add keeps its inputs' blocks, and every other step reads NCHW:
/// conversions are planned only where a step wants a layout its input is not in (<see cref="LayoutPlanner"/>).
/// Which kernel a node runs weighs the conversions it brings under the compiler's <see cref="LayoutPolicy"/>. One
/// compiler plans once. A node with no logged kernel takes its <see cref="ZeroTrialStart"/> where one is given.</summary>
internal sealed class ModelCompiler(ModelGraph graph, HistoryBest? history, int threads, Target target, LayoutPolicy policy, ZeroTrialStart? start = null)
{
    private readonly EpilogueMatcher epilogues = new(graph);
    private readonly BufferPlanner planner = new();
    private readonly LayoutPlanner layouts = new(graph.Shape, graph.Initializers.ContainsKey);

    /// <summary>A kernel to emit; with <see cref="Epilogue"/>, its bias and activation are fused into its stores.</summary>
    private sealed record PendingKernel(string ClassName, TuningTask Task, Spaces.ConfigEntity Config, float[] Weight, FusedEpilogue? Epilogue, float[]? Bias,
        double? TunedSeconds);

    private readonly List<PlannedStep> steps = [];
    private readonly List<PendingKernel> kernels = [];
    /// <summary>The class of each distinct kernel: nodes with the same template, workload, config and epilogue share one.</summary>
    private readonly Dictionary<(string Task, string Workload, long Config, FusedEpilogue? Epilogue), string> classes = [];
    /// <summary>The constants the plan names that are not the graph's own: each kernel's weight and bias.</summary>
    private readonly Dictionary<string, float[]> kernelConstants = new(StringComparer.Ordinal);
    private readonly HashSet<Node> absorbed = [];
    private KernelCounts counts;
    private bool planned;

    /// <summary>The kernel each tuned node runs under this compiler's layout policy (template and config, in
    /// the model's order), planned without compiling: policies that choose the same kernels make one plan.</summary>
    public string Choices()
    {
        PlanModel(choicesOnly: true);
        return string.Join(";", kernels.Select(k => $"{k.Task.Name}#{k.Config.Index}"));
    }

    /// <summary>The plan compiled and bound to buffers, with how many tuned ops took their config from each source.</summary>
    public CompiledPlan Compile()
    {
        PlanModel(choicesOnly: false);
        var inputName = graph.Inputs.Keys.Single();
        var pinned = graph.Outputs.Append(inputName).Where(t => !graph.Initializers.ContainsKey(t)).ToHashSet(StringComparer.Ordinal);
        var kept = ConcatPlacement.Place(steps, planner, layouts.Elements, pinned);
        foreach (var step in kept) planner.Step(step.Reads, step.Writes, step.Spec.SizedByShape());
        var (lengths, buffers, offsets) = planner.Assign(layouts.Elements, pinned);
        TensorInfo Tensor(string name) => new(name, graph.Shape(name));
        var spec = new PlanSpec(graph.Name, threads, graph.Opset, [Tensor(inputName)], graph.Outputs.Select(Tensor).ToArray(), lengths, buffers,
            kept.Select(s => s.Spec).ToArray(), kernels.Select(Spec).ToArray(), offsets.Count > 0 ? offsets : null);
        // One class per distinct kernel (template, workload, config, epilogue): repeated blocks of a model share theirs, so
        // there is less to compile, to load and to jit; each node still gets its own instance, with its own weights.
        var sources = kernels.DistinctBy(k => k.ClassName, StringComparer.Ordinal)
            .Select(k => new KernelSource(k.ClassName, k.Task.Template.EmitKernel(k.Task.Workload, k.Config, k.ClassName, k.Epilogue))).ToList();
        var (image, context, instances) = CompileKernels(sources);
        var plan = PlanBinder.Bind(spec, Constant, instances, threads, context);
        return new CompiledPlan(plan, spec, Constant, instances, sources, image, counts);
    }

    /// <summary>A constant the plan names: a weight of the graph, or a kernel's (folded) weight or bias.</summary>
    private float[]? Constant(string name) =>
        graph.Initializers.TryGetValue(name, out var init) ? init.Values : kernelConstants.GetValueOrDefault(name);

    private KernelSpec Spec(PendingKernel k, int index) =>
        new(k.ClassName, Weight(index), k.Epilogue is null || k.Bias is null ? null : Bias(index), k.Task.Name, k.Task.Workload.Key, k.Config.ToString(),
            k.TunedSeconds);

    private static string Weight(int kernel) => $"K{kernel}:weight";
    private static string Bias(int kernel) => $"K{kernel}:bias";

    private void Plan(StepSpec step, string[] reads, string[] writes) =>
        steps.Add(new PlannedStep(step, reads.Where(t => t.Length > 0 && !graph.Initializers.ContainsKey(t)).ToArray(), writes));

    private void Convert(string tensor, string from, int fromBlock, string to, int toBlock)
    {
        var shape = graph.Shape(tensor);
        Plan(new LayoutStepSpec(new StepLabel(tensor, tensor, $"Layout {LayoutName(fromBlock)}->{LayoutName(toBlock)}"), from, fromBlock, to, toBlock,
            shape[0], shape[1], LayoutPlanner.Plane(shape)), [from], [to]);
    }

    // The buffer that holds a tensor in the layout a step reads it in, converted there if need be.
    private string In(string tensor, int block) => layouts.Read(tensor, block, Convert);

    /// <summary>Plans every step; <paramref name="choicesOnly"/>: only to know which kernels it chooses, so weights
    /// are neither copied nor folded.</summary>
    private void PlanModel(bool choicesOnly)
    {
        if (planned) throw new InvalidOperationException("a model compiler plans once");
        planned = true;
        if (graph.Inputs.Count != 1) throw new NotSupportedException($"{graph.Name}: models with {graph.Inputs.Count} inputs are not supported (one input expected)");
        foreach (var node in graph.Nodes)
        {
            if (absorbed.Contains(node)) continue;
            if (TemplateRegistry.Primary(graph, node) is { } tuned)
            {
                var isConv = node.OpType is "Conv" or "ConvTranspose";
                var fused = new FusedNode(node, isConv, choicesOnly ? [] : node.OpType == "ConvTranspose" ? TransposedConvWeight(node) : isConv ? Weights(node.Inputs[1]).ToArray() : DenseWeight(node),
                    node.Inputs.Count > 2 && node.Inputs[2].Length > 0 ? Weights(node.Inputs[2]).ToArray() : null, graph.Shape(node.Outputs[0]));
                var fusion = new FusionContext(graph, epilogues);
                foreach (var pass in Passes.All) pass.Apply(fused, fusion);
                absorbed.UnionWith(fused.Absorbed);
                var (outShape, channels, bias, activation, last) = (fused.OutShape, fused.Channels, fused.Bias, fused.Activation, fused.Last);
                var candidates = TemplateRegistry.Alternatives(tuned.Workload).Prepend(tuned)
                    .Select(i => new TuningTask(i.Template, i.Workload, target))
                    // A blocked kernel must fuse its epilogue: the runtime's own pass works on NCHW planes.
                    .Where(t => !t.Template.BlocksChannels || ActivationEpilogue.Of(activation) is not null).ToList();
                var (task, config, tunedSeconds, source) = KernelChoice.Choose(candidates, history, start,
                    (inBlock, outBlock) => LayoutCost(node.Inputs[0], inBlock, outShape, outBlock));
                counts = counts.Add(source);
                var (inBlock, outBlock) = task.Template.Blocks(task.Workload, config);
                var index = kernels.Count;
                // Fused where the template can: the output is then written once, inside the kernel's parallel work.
                var epilogue = (bias is not null || !activation.IsNone) && task.Template.FusesEpilogue ? ActivationEpilogue.Of(activation) : null;
                // A scalar affine after the fused activation (PP-LCNetV3's second learnable affine) joins the epilogue.
                while (epilogue is not null && !activation.IsNone && epilogues.ScalarAffineAfter(last, outShape) is var (post, k))
                {
                    epilogue = post.OpType == "Mul" ? epilogue with { Scale = epilogue.Scale * k, Shift = epilogue.Shift * k } : epilogue with { Shift = epilogue.Shift + k };
                    absorbed.Add(post);
                    last = post;
                }
                var kind = (task.Name, task.Workload.Key, config.Index, epilogue);
                var className = classes.TryGetValue(kind, out var shared) ? shared : classes[kind] = $"K{classes.Count}";
                kernels.Add(new PendingKernel(className, task, config, fused.Weight, epilogue, bias, tunedSeconds));
                kernelConstants[Weight(index)] = fused.Weight;
                if (bias is not null) kernelConstants[Bias(index)] = bias;
                // What the kernel did not fuse, its step applies after it.
                var (stepBias, stepActivation) = epilogue is null ? (bias is null ? null : Bias(index), activation) : (null, Activation.None);
                var batch = (int)(outShape.Aggregate(1L, (a, b) => a * b) / (isConv ? outShape.Skip(1).Aggregate(1L, (a, b) => a * b) : channels));
                var input = In(node.Inputs[0], inBlock);
                var output = layouts.Write(last.Outputs[0], outBlock);
                Plan(new KernelStepSpec(Label(node, last.Outputs[0], task.Name, tunedSeconds), index, input, output, stepBias, stepActivation, batch, channels),
                    [input], [output]);
                continue;
            }
            // A residual Add (with the activation after it, if any: one pass over memory instead of two).
            if (node.OpType == "Add" && graph.Shape(node.Inputs[0]).SequenceEqual(graph.Shape(node.Inputs[1]))
                && !graph.Initializers.ContainsKey(node.Inputs[0]) && !graph.Initializers.ContainsKey(node.Inputs[1]))
            {
                var after = epilogues.After(node);
                if (after is not null) absorbed.UnionWith(after.Absorbed);
                var (activation, written) = after is null ? (Activation.None, node.Outputs[0]) : (after.Activation, after.Last.Outputs[0]);
                // Element-wise, so in any layout both inputs share: a blocked one's, where there is one.
                var block = Math.Max(layouts.BlockOf(node.Inputs[0]), layouts.BlockOf(node.Inputs[1]));
                var (a, b) = (In(node.Inputs[0], block), In(node.Inputs[1], block));
                var sum = layouts.Write(written, block);
                Plan(new AddStepSpec(Label(node, written, "Add"), a, b, sum, activation), [a, b], [sum]);
                continue;
            }
            // A pool over a blocked tensor pools blocked: whole channel blocks per tap, and no conversion around it.
            if (BlockedPool(node) is { } window)
            {
                var block = layouts.BlockOf(node.Inputs[0]);
                var shape = graph.Shape(node.Inputs[0]);
                var input = In(node.Inputs[0], block);
                var output = layouts.Write(node.Outputs[0], block);
                Plan(new BlockedPoolStepSpec(Label(node, node.Outputs[0], $"{node.OpType} nchw{block}c"), input, output, window, block, shape[0], shape[1]),
                    [input], [output]);
                continue;
            }
            if (node.OpType == "BatchNormalization" && AffineOf(node) is var (scale, shift))
            {
                // What the activation after it (if any) absorbs, it applies in the same pass.
                var after = epilogues.After(node);
                if (after is not null) absorbed.UnionWith(after.Absorbed);
                var (activation, written) = after is null ? (Activation.None, node.Outputs[0]) : (after.Activation, after.Last.Outputs[0]);
                var shape = graph.Shape(node.Inputs[0]);
                var (scaleName, shiftName) = ($"{written}:scale", $"{written}:shift");
                (kernelConstants[scaleName], kernelConstants[shiftName]) = (scale, shift);
                // An average pool that tiles the result (a DenseNet transition's, moved before its 1 x 1 conv) goes in the same pass;
                // one as large as the plane stays a global pool, whose sum per plane cost less than the pass's band (DenseNet's last:
                // 0.035 ms apart, 0.044 together, 1024 planes of 7 x 7; Zen 4, 1 thread).
                var reader = shape.Length == 4 ? epilogues.SoleReader(written) : null;
                var poolSize = reader is not null && TilingAveragePool.Size(reader, graph.Shapes) is { } k && k < Math.Max(shape[2], shape[3]) ? k : 1;
                if (poolSize > 1)
                {
                    absorbed.Add(reader!);
                    written = reader!.Outputs[0];
                }
                var input = In(node.Inputs[0], 1);
                var output = layouts.Write(written, 1);
                Plan(new ChannelAffineStepSpec(Label(node, written, poolSize > 1 ? "BatchNormalization+AveragePool" : "BatchNormalization"), input,
                    output, scaleName, shiftName, activation, shape[0], shape[1], LayoutPlanner.Plane(shape), poolSize, shape[^1]), [input], [output]);
                continue;
            }
            if (BlockedConcat(node) is { } concatBlock)
            {
                var shape = graph.Shape(node.Outputs[0]);
                var inputs = node.Inputs.Select(i => In(i, concatBlock)).ToArray();
                var output = layouts.Write(node.Outputs[0], concatBlock);
                Plan(new BlockedConcatStepSpec(Label(node, node.Outputs[0], $"Concat nchw{concatBlock}c"), inputs, output,
                    node.Inputs.Select(i => graph.Shape(i)[1]).ToArray(), LayoutPlanner.Plane(shape), shape[0], concatBlock), inputs, [output]);
                continue;
            }
            PlanPlain(node);
        }
        // The model's outputs in NCHW.
        foreach (var output in graph.Outputs) In(output, 1);
    }

    /// <summary>What a kernel reading its input in <paramref name="inBlock"/> and writing <paramref name="outBlock"/>
    /// costs in conversions: its input's, where the input is not held in that block yet, and under a policy that
    /// prefers one layout, its output's into that layout (which a later reader would pay).</summary>
    private double LayoutCost(string input, int inBlock, int[] outShape, int outBlock)
    {
        // Under a policy of one layout only, a kernel of any other is chosen only where nothing else is offered.
        if (policy.Only && (inBlock != policy.Preferred || outBlock != policy.Preferred)) return double.PositiveInfinity;
        var cost = layouts.Holds(input, inBlock) ? 0 : ConversionCost.Seconds(layouts.BlockOf(input), inBlock, graph.Shape(input), threads);
        if (policy.Preferred is { } preferred && outBlock != preferred) cost += ConversionCost.Seconds(outBlock, preferred, outShape, threads);
        return cost;
    }

    /// <summary>The kernels compiled in one batch, loaded, prepared with their weights and given their fused biases.</summary>
    private (byte[]? Image, KernelLoadContext? Context, IKernel[] Instances) CompileKernels(IReadOnlyList<KernelSource> sources)
    {
        if (sources.Count == 0) return (null, null, []);
        var batch = RoslynCompiler.Compile(sources);
        if (batch.Errors.Count > 0 || batch.Image is null)
            throw new InvalidOperationException($"{graph.Name}: kernels failed to compile: {string.Join("; ", batch.Errors.Take(3).Select(e => $"{e.Key}: {e.Value}"))}");
        var context = new KernelLoadContext(batch.Image);
        var instances = new IKernel[kernels.Count];
        for (var i = 0; i < kernels.Count; i++)
        {
            instances[i] = context.Create(kernels[i].ClassName);
            instances[i].Prepare(kernels[i].Weight, threads);
            if (kernels[i].Epilogue is not null && kernels[i].Bias is { } bias) instances[i].SetBias(bias);
        }
        return (batch.Image, context, instances);
    }

    /// <summary>The window of a 2-D MaxPool or AveragePool whose input is held in channel blocks of whole vectors, or null
    /// (an NCHW input, dilation, an Indices output: the plain op runs it).</summary>
    private PoolWindow? BlockedPool(Node node)
    {
        if (node.OpType is not ("MaxPool" or "AveragePool") || layouts.BlockOf(node.Inputs[0]) is var block && (block == 1 || block % 8 != 0)) return null;
        var kernel = node.Ints("kernel_shape", []);
        if (kernel.Length != 2 || node.Ints("dilations", [1, 1]).Any(d => d != 1) || node.Outputs.Skip(1).Any(o => o.Length > 0)) return null;
        var (input, output) = (graph.Shape(node.Inputs[0]), graph.Shape(node.Outputs[0]));
        return new PoolWindow(node.OpType == "MaxPool", input[2], input[3], output[2], output[3], kernel, node.Ints("strides", [1, 1]),
            node.Ints("pads", [0, 0, 0, 0]), node.Int("count_include_pad", 0) == 1);
    }

    /// <summary>An inference BatchNormalization's per-channel scale and shift, where its statistics are constants and its
    /// input has channels and a plane (rank 3 or more); null for the plain op.</summary>
    private (float[] Scale, float[] Shift)? AffineOf(Node node)
    {
        if (graph.Shape(node.Inputs[0]).Length < 3 || node.Inputs.Count < 5 || node.Outputs.Skip(1).Any(o => o.Length > 0)
            || node.Inputs.Skip(1).Any(i => !graph.Initializers.ContainsKey(i))) return null;
        float[] Values(int i) => graph.Initializers[node.Inputs[i]].Values;
        return BatchNormalization.ScaleShift(node, Values(1), Values(2), Values(3), Values(4));
    }

    /// <summary>The block a channel Concat runs in, where one of its inputs is held blocked and every input's channels are
    /// whole blocks of it (inputs held otherwise are converted); null for the plain op.</summary>
    private int? BlockedConcat(Node node)
    {
        if (node.OpType != "Concat" || graph.Shape(node.Outputs[0]).Length != 4 || node.Inputs.Any(i => i.Length == 0 || graph.Initializers.ContainsKey(i))) return null;
        var axis = node.Int("axis", 0);
        if ((axis < 0 ? axis + 4 : axis) != 1) return null;
        var block = node.Inputs.Max(layouts.BlockOf);
        return block > 1 && node.Inputs.All(i => graph.Shape(i)[1] % block == 0) ? block : null;
    }

    private void PlanPlain(Node node)
    {
        var op = OperatorRegistry.Find(node.OpType) ?? throw new NotSupportedException($"{graph.Name}: {node}: op type '{node.OpType}' is not supported by the runtime");
        // A view (Reshape, Flatten ...) shares its input's buffer and runs as nothing.
        var reads = node.Inputs.Select(tensor => In(tensor, 1)).ToArray();
        if (op.IsView && !graph.Initializers.ContainsKey(node.Inputs[0]) && !graph.Initializers.ContainsKey(node.Outputs[0]))
            planner.Alias(node.Outputs[0], reads[0]);
        // Optional outputs the op does not produce (a Dropout mask) have no shape and get no buffer.
        var written = node.Outputs.Select(o => o.Length == 0 || !graph.Shapes.ContainsKey(o) ? "" : o).ToArray();
        var shapes = node.Inputs.Select(i => i.Length == 0 ? [] : graph.Shape(i)).ToArray();
        Plan(new OperatorStepSpec(Label(node, node.Outputs[0], node.OpType), NodeSpec.Of(node), shapes, reads, written),
            reads, written.Where(o => o.Length > 0).ToArray());
    }

    private static string LayoutName(int block) => block == 1 ? "nchw" : $"nchw{block}c";

    /// <summary>A step's label names its node, or where the model left nodes unnamed, the node's first output.</summary>
    private static StepLabel Label(Node node, string output, string kind, double? tunedSeconds = null) =>
        new(node.Name.Length > 0 ? node.Name : node.Outputs[0], output, kind, tunedSeconds);

    /// <summary>A Gemm's or MatMul's constant weight in the dense template's [N, K] layout.</summary>
    private float[] DenseWeight(Node node)
    {
        var values = Weights(node.Inputs[1]);
        if (node.OpType == "Gemm" && node.Int("transB", 0) == 1) return values.ToArray();
        var (k, n) = (graph.Shape(node.Inputs[1])[0], graph.Shape(node.Inputs[1])[1]);
        var transposed = new float[values.Length];
        for (var i = 0; i < k; i++)
            for (var j = 0; j < n; j++) transposed[j * k + i] = values[i * n + j];
        return transposed;
    }

    /// <summary>A ConvTranspose's constant weight, output channels first as its template takes it (and as BatchNormalization
    /// folds per output channel).</summary>
    private float[] TransposedConvWeight(Node node)
    {
        var shape = graph.Shape(node.Inputs[1]);
        return Templates.Conv2dTranspose.Conv2dTransposeTemplate.FromOnnxLayout(Weights(node.Inputs[1]), shape[0], shape[1], shape[2] * shape[3]);
    }

    private float[] Weights(string name) =>
        graph.Initializers.TryGetValue(name, out var init) ? init.Values : throw new NotSupportedException($"{graph.Name}: '{name}' must be a constant weight");
}
