using Tessel.Graph.Onnx;
using Tessel.Measure;
using Tessel.Tasks;
using Tessel.Templates.Conv2d;
using Tessel.Templates.Conv2dNchwc;
using Tessel.Templates.Dense;
using Tessel.Templates.Depthwise;
using Tessel.Templates.DepthwiseNchwc;
using Tessel.Templates.Winograd;

namespace Tessel.OnnxRuntime;

/// <summary>The same operator as a Tessel task, as a single-op ONNX model timed in ONNX Runtime.</summary>
public static class OrtOperator
{
    public static byte[] Model(TuningTask task)
    {
        var weight = TaskTensors.For(task).Weight;
        var w = task.Workload;
        return task.Name switch
        {
            Conv2dNchwTemplate.Name or Conv2dWinogradTemplate.Name or Conv2dNchwcTemplate.Name => SingleOpModel.Conv(w.TensorShape(0), w.TensorShape(1), weight, w.IntList(2), w.IntList(3), w.IntList(4), w.Int(5)),
            DepthwiseConv2dNchwTemplate.Name or DepthwiseNchwcTemplate.Name => DepthwiseModel(w, weight),
            DenseTemplate.Name => SingleOpModel.Dense(w.TensorShape(0), w.TensorShape(1), weight),
            _ => throw new NotSupportedException($"no ONNX form for {task.Name}"),
        };
    }

    /// <summary>Median seconds per call in ONNX Runtime at the given thread count.</summary>
    public static double MedianSeconds(TuningTask task, int threads)
    {
        using var ort = new OrtReference(Model(task), threads);
        var data = TaskTensors.For(task).Data;
        return ort.MeasureLatency(data, task.Template.Shapes(task.Workload).Data).Median;
    }

    private static byte[] DepthwiseModel(Workload w, float[] weight)
    {
        var k = w.TensorShape(1);
        // ONNX writes a depthwise conv as a grouped Conv: group = C, weight [C * multiplier, 1, KH, KW].
        return SingleOpModel.Conv(w.TensorShape(0), [k[0] * k[1], 1, k[2], k[3]], weight, w.IntList(2), w.IntList(3), w.IntList(4), k[0]);
    }
}
