using Tessel.Graph;
using Tessel.Templates.Conv2d;
using Tessel.Templates.Dense;
using Tessel.Templates.Depthwise;

namespace Tessel.Tasks;

/// <summary>One task per distinct tunable workload of a model (conv2d, depthwise conv2d, dense), with how
/// often it occurs; every other op runs a default kernel and makes no task.</summary>
public static class TaskExtraction
{
    public static IReadOnlyList<ExtractedTask> Extract(ModelGraph graph, Target target)
    {
        var found = new List<(Templates.ITemplate Template, Workload Workload)>();
        foreach (var node in graph.Nodes)
            if (Workload(graph, node) is { } w) found.Add(w);
        return found
            .GroupBy(f => f.Workload)
            .Select((g, i) => new ExtractedTask($"T{i}", new TuningTask(g.First().Template, g.Key, target, g.Count())))
            .ToList();
    }

    /// <summary>The template and workload a node runs as, or null for an op that is not tuned.</summary>
    public static (Templates.ITemplate Template, Workload Workload)? Workload(ModelGraph graph, Node node)
    {
        switch (node.OpType)
        {
            case "Conv":
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
            case "Gemm":
            {
                var data = graph.Shape(node.Inputs[0]);
                var weight = graph.Shape(node.Inputs[1]);
                if (node.Int("transA", 0) == 1) return null;
                var mk = node.Int("transB", 0) == 1 ? weight : [weight[1], weight[0]];
                return (DenseTemplate.Instance, DenseTemplate.Workload(data, mk));
            }
            default:
                return null;
        }
    }
}
