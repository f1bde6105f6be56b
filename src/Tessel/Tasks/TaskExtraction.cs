using Tessel.Graph;
using Tessel.Templates.Conv2d;
using Tessel.Templates.Dense;
using Tessel.Templates.Depthwise;

namespace Tessel.Tasks;

/// <summary>One task per distinct tunable workload of a model (conv2d, depthwise conv2d, dense), with how
/// often it occurs, each followed by its alternative implementations' tasks (Winograd for 3x3 stride-1
/// convs); every other op runs a default kernel and makes no task.</summary>
public static class TaskExtraction
{
    public static IReadOnlyList<ExtractedTask> Extract(ModelGraph graph, Target target)
    {
        var found = new List<(Templates.ITemplate Template, Workload Workload)>();
        foreach (var node in graph.Nodes)
            if (Workload(graph, node) is { } w) found.Add(w);
        var tasks = new List<ExtractedTask>();
        foreach (var group in found.GroupBy(f => f.Workload))
        {
            tasks.Add(new ExtractedTask($"T{tasks.Count}", new TuningTask(group.First().Template, group.Key, target, group.Count())));
            foreach (var (template, workload) in Implementations.Alternatives(group.Key))
                tasks.Add(new ExtractedTask($"T{tasks.Count}", new TuningTask(template, workload, target, group.Count()), Alternative: true));
        }
        return tasks;
    }

    /// <summary>The template and workload a node runs as, or null for an op that is not tuned.</summary>
    public static (Templates.ITemplate Template, Workload Workload)? Workload(ModelGraph graph, Node node)
    {
        switch (node.OpType)
        {
            case "Conv" when graph.Initializers.ContainsKey(node.Inputs[1]):
            {
                var data = graph.Shape(node.Inputs[0]);
                var weight = graph.Shape(node.Inputs[1]);
                var strides = node.Ints("strides", [1, 1]);
                var pads = node.Ints("pads", [0, 0, 0, 0]);
                var dilations = node.Ints("dilations", [1, 1]);
                var groups = node.Int("group", 1);
                // ONNX writes a depthwise conv as a grouped one with one input channel per group.
                if (groups > 1 && groups == data[1] && weight[1] == 1)
                    return (DepthwiseConv2dNchwTemplate.Instance, DepthwiseConv2dNchwTemplate.Workload(
                        data, [data[1], weight[0] / data[1], weight[2], weight[3]], strides, pads, dilations));
                return (Conv2dNchwTemplate.Instance, Conv2dNchwTemplate.Workload(data, weight, strides, pads, dilations, groups));
            }
            case "Gemm" or "MatMul" when DenseShape(graph, node) is { } dense:
                return (DenseTemplate.Instance, DenseTemplate.Workload(dense.Data, dense.Weight));
            default:
                return null;
        }
    }

    /// <summary>A Gemm or MatMul that is a dense layer: a constant weight matrix, no transposed data, unit
    /// scales, and a bias (if any) of one value per output unit. Its data as [M, K] (leading dims of a MatMul
    /// flattened) and its weight as [N, K], the dense template's layout.</summary>
    public static (int[] Data, int[] Weight)? DenseShape(ModelGraph graph, Node node)
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
}
