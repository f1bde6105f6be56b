using Tessel.Graph.Onnx;
using Tessel.OnnxRuntime;
using Tessel.Tasks;
using Tessel.Templates;
using Tessel.Templates.Conv2d;
using Tessel.Templates.Dense;
using Tessel.Workloads;

namespace Tessel.Tests.Graph;

/// <summary>The single-op ONNX models that benchmarks compare against must compute what Tessel's templates
/// compute: ONNX Runtime's output is checked against the templates' naive references.</summary>
public class SingleOpModelTests
{
    private static (float[] Data, float[] Weight) Random(KernelShapes shapes, int seed)
    {
        var rng = new Random(seed);
        float[] Make(long n) => Enumerable.Range(0, (int)n).Select(_ => rng.NextSingle() * 2 - 1).ToArray();
        return (Make(shapes.DataElements), Make(shapes.WeightElements));
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var maxRef = expected.Max(Math.Abs);
        var err = expected.Zip(actual, (e, a) => Math.Abs((double)e - a)).Max();
        Assert.True(err / maxRef < 1e-4, $"relative error {err / maxRef}");
    }

    [Theory]
    [InlineData(1, 1, 1, 1, 1)]
    [InlineData(2, 1, 0, 2, 2)]
    public void Conv_with_asymmetric_pads_stride_and_groups_matches_the_template_reference(int stride, int top, int left, int bottom, int groups)
    {
        int[] data = [1, 4, 11, 9], kernel = [6, 4 / groups, 3, 3], pads = [top, left, bottom, 1];
        var workload = Conv2dNchwTemplate.Workload(data, kernel, [stride, stride], pads, [1, 1], groups);
        var shapes = Conv2dNchwTemplate.Instance.Shapes(workload);
        var (x, w) = Random(shapes, 1);
        var expected = new float[shapes.OutputElements];
        Conv2dNchwTemplate.Instance.Reference(workload, x, w, expected);
        using var ort = new OrtReference(SingleOpModel.Conv(data, kernel, w, [stride, stride], pads, [1, 1], groups), threads: 1);
        AssertClose(expected, ort.Run(x, data));
    }

    [Fact]
    public void Gemm_with_transposed_weight_matches_the_dense_reference()
    {
        var workload = DenseTemplate.Workload([3, 37], [19, 37]);
        var shapes = DenseTemplate.Instance.Shapes(workload);
        var (x, w) = Random(shapes, 2);
        var expected = new float[shapes.OutputElements];
        DenseTemplate.Instance.Reference(workload, x, w, expected);
        using var ort = new OrtReference(SingleOpModel.Dense([3, 37], [19, 37], w), threads: 2);
        AssertClose(expected, ort.Run(x, [3, 37]));
        // The pilot sizes repeats toward 2 ms: a 3x37x19 dense takes microseconds, so a repeat makes many calls.
        var latency = ort.MeasureLatency(x, [3, 37], minRepeatMs: 2, repeats: 3);
        Assert.True(latency.CallsPerRepeat >= 8, latency.ToString());
    }
}
