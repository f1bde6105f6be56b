using Tessel.Measure;
using Tessel.Tasks;

namespace Tessel.OnnxRuntime;

/// <summary>The same operator as a Tessel task, as a single-op ONNX model timed in ONNX Runtime.</summary>
public static class OrtOperator
{
    public static byte[] Model(TuningTask task)
    {
        var weight = TaskTensors.For(task).Weight;
        return task.Template.OnnxModel(task.Workload, weight);
    }

    /// <summary>Median seconds per call in ONNX Runtime at the given thread count.</summary>
    public static double MedianSeconds(TuningTask task, int threads)
    {
        using var ort = new OrtReference(Model(task), threads);
        var data = TaskTensors.For(task).Data;
        return ort.MeasureLatency(data, task.Template.Shapes(task.Workload).Data).Median;
    }
}
