using Tessel.Codegen;
using Tessel.Graph;
using Tessel.Graph.Operators;
using Tessel.Records;
using Tessel.Runtime.Steps;
using Tessel.Tasks;

namespace Tessel.Runtime;

/// <summary>Turns a graph into steps: folds BatchNormalization into the conv before it, fuses a following
/// ReLU/Clip into the kernel's epilogue (when the conv's output has no other reader), picks each tuned op's
/// config, compiles every kernel in one batch and plans one buffer per tensor.</summary>
internal sealed class ModelCompiler(ModelGraph graph, HistoryBest? history, int threads, Target target)
{
    private readonly Dictionary<string, float[]> buffers = new(StringComparer.Ordinal);
    private readonly EpilogueMatcher epilogues = new(graph);

    public delegate CompiledModel Factory(List<IStep> steps, float[] input, float[][] outputs, int fromLog, int defaults, KernelLoadContext? context);

    private sealed record PendingKernel(string ClassName, TuningTask Task, Spaces.ConfigEntity Config, float[] Weight, float[] Input, float[] Output, float[]? Bias, Activation Activation, int Batch, int Channels);

    public CompiledModel Compile(Factory factory)
    {
        if (graph.Inputs.Count != 1) throw new NotSupportedException($"{graph.Name}: models with {graph.Inputs.Count} inputs are not supported (one input expected)");
        var inputName = graph.Inputs.Keys.Single();
        var input = Buffer(inputName);
        var steps = new List<IStep?>();
        var kernels = new List<(int Step, PendingKernel Kernel)>();
        int fromLog = 0, defaults = 0;
        var absorbed = new HashSet<Node>();

        foreach (var node in graph.Nodes)
        {
            if (absorbed.Contains(node)) continue;
            if (TaskExtraction.Workload(graph, node) is { } tuned)
            {
                var task = new TuningTask(tuned.Template, tuned.Workload, target);
                var (config, logged) = KernelChoice.For(task, history);
                if (logged) fromLog++; else defaults++;
                var isConv = node.OpType == "Conv";
                var weight = isConv ? Weights(node.Inputs[1]).ToArray() : DenseWeight(node);
                var outShape = graph.Shape(node.Outputs[0]);
                var channels = isConv ? outShape[1] : outShape[^1];
                float[]? bias = node.Inputs.Count > 2 && node.Inputs[2].Length > 0 ? Weights(node.Inputs[2]).ToArray() : null;
                var last = node;
                // Fold a following BatchNormalization: w' = w * s, b' = (b - mean) * s + beta, s = gamma / sqrt(var + eps).
                if (epilogues.SoleReader(last.Outputs[0]) is { OpType: "BatchNormalization" } bn && isConv)
                {
                    bias = Fold(bn, weight, bias ?? new float[channels]);
                    absorbed.Add(bn);
                    last = bn;
                }
                // A dense layer's bias exported as a separate Add (MatMul + Add) joins the epilogue.
                if (!isConv && bias is null && epilogues.SoleReader(last.Outputs[0]) is { OpType: "Add" } add && add.Inputs.Count(graph.Initializers.ContainsKey) == 1
                    && graph.Initializers[add.Inputs.Single(graph.Initializers.ContainsKey)] is { } addend && addend.Elements == channels
                    && graph.Shape(add.Outputs[0]).SequenceEqual(outShape))
                {
                    bias = addend.Values;
                    absorbed.Add(add);
                    last = add;
                }
                var activation = Activation.None;
                if (epilogues.After(last) is { } fused)
                {
                    activation = fused.Activation;
                    absorbed.UnionWith(fused.Absorbed);
                    last = fused.Last;
                }
                kernels.Add((steps.Count, new PendingKernel($"K{kernels.Count}", task, config, weight, Buffer(node.Inputs[0]), Buffer(last.Outputs[0]),
                    bias, activation, (int)(outShape.Aggregate(1L, (a, b) => a * b) / (isConv ? outShape.Skip(1).Aggregate(1L, (a, b) => a * b) : channels)), channels)));
                steps.Add(null);
                continue;
            }
            // A residual Add followed by its activation is one pass over memory instead of two.
            if (node.OpType == "Add" && graph.Shape(node.Inputs[0]).SequenceEqual(graph.Shape(node.Inputs[1]))
                && !graph.Initializers.ContainsKey(node.Inputs[0]) && !graph.Initializers.ContainsKey(node.Inputs[1])
                && epilogues.After(node) is { } after)
            {
                absorbed.UnionWith(after.Absorbed);
                steps.Add(new AddStep(Buffer(node.Inputs[0]), Buffer(node.Inputs[1]), Buffer(after.Last.Outputs[0]), after.Activation));
                continue;
            }
            steps.Add(Plain(node));
        }

        var context = CompileKernels(kernels.Select(k => k.Kernel).ToList(), out var instances);
        for (var i = 0; i < kernels.Count; i++)
        {
            var k = kernels[i].Kernel;
            steps[kernels[i].Step] = new KernelStep(k.Task.Name, instances[i], k.Input, k.Output, k.Bias, k.Activation, k.Batch, k.Channels);
        }
        var outputs = graph.Outputs.Select(Buffer).ToArray();
        return factory(steps.Select(s => s!).ToList(), input, outputs, fromLog, defaults, context);
    }

    private KernelLoadContext? CompileKernels(List<PendingKernel> kernels, out IKernel[] instances)
    {
        instances = [];
        if (kernels.Count == 0) return null;
        var sources = kernels.Select(k => new KernelSource(k.ClassName, k.Task.Template.EmitKernel(k.Task.Workload, k.Config, k.ClassName))).ToList();
        var batch = RoslynCompiler.Compile(sources);
        if (batch.Errors.Count > 0 || batch.Image is null)
            throw new InvalidOperationException($"{graph.Name}: kernels failed to compile: {string.Join("; ", batch.Errors.Take(3).Select(e => $"{e.Key}: {e.Value}"))}");
        var context = new KernelLoadContext(batch.Image);
        instances = new IKernel[kernels.Count];
        for (var i = 0; i < kernels.Count; i++)
        {
            instances[i] = context.Create(kernels[i].ClassName);
            instances[i].Prepare(kernels[i].Weight, threads);
        }
        return context;
    }

    private IStep Plain(Node node)
    {
        var op = OperatorRegistry.Find(node.OpType) ?? throw new NotSupportedException($"{graph.Name}: {node}: op type '{node.OpType}' is not supported by the runtime");
        var context = new OpContext(graph.Name, node, node.Inputs.Select(i => i.Length == 0 ? [] : graph.Shape(i)).ToArray(),
            i => graph.Initializers.TryGetValue(node.Inputs[i], out var w) ? w.Values : null, graph.Opset);
        // A view (Reshape, Flatten ...) shares its input's buffer and runs as nothing.
        if (op.IsView && !buffers.ContainsKey(node.Outputs[0]) && !graph.Initializers.ContainsKey(node.Outputs[0]))
            buffers[node.Outputs[0]] = Buffer(node.Inputs[0]);
        var inputs = node.Inputs.Select(i => i.Length == 0 ? [] : Buffer(i)).ToArray();
        // Optional outputs the op does not produce (a Dropout mask) have no shape and get no buffer.
        var outputs = node.Outputs.Select(o => o.Length == 0 || !graph.Shapes.ContainsKey(o) ? [] : Buffer(o)).ToArray();
        return new OperatorStep(node.OpType, op.Bind(context, inputs, outputs));
    }

    private float[] Fold(Node bn, float[] weight, float[] bias)
    {
        var (scale, shift) = BatchNormalization.ScaleShift(bn, Weights(bn.Inputs[1]), Weights(bn.Inputs[2]), Weights(bn.Inputs[3]), Weights(bn.Inputs[4]));
        var per = weight.Length / scale.Length;
        for (var c = 0; c < scale.Length; c++)
        {
            for (var i = 0; i < per; i++) weight[c * per + i] *= scale[c];
            bias[c] = bias[c] * scale[c] + shift[c];
        }
        return bias;
    }

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

    private float[] Weights(string name) =>
        graph.Initializers.TryGetValue(name, out var init) ? init.Values : throw new NotSupportedException($"{graph.Name}: '{name}' must be a constant weight");

    private float[] Buffer(string tensor)
    {
        if (graph.Initializers.TryGetValue(tensor, out var constant)) return constant.Values;
        if (!buffers.TryGetValue(tensor, out var buffer))
            buffers[tensor] = buffer = GC.AllocateArray<float>(checked((int)graph.Shape(tensor).Aggregate(1L, (a, b) => a * b)), pinned: true);
        return buffer;
    }
}
