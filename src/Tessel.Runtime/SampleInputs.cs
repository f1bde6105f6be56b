namespace Tessel.Runtime;

/// <summary>The fixed input that runs, benchmarks and comparisons with ONNX Runtime feed a model when none is given:
/// uniform in [-1, 1), seed 7, so every tool times and checks a model on the same data.</summary>
public static class SampleInputs
{
    public static float[] Uniform(int length)
    {
        var random = new Random(7);
        var data = new float[length];
        for (var i = 0; i < data.Length; i++) data[i] = random.NextSingle() * 2 - 1;
        return data;
    }
}
