using System.Runtime.InteropServices;

namespace Tessel.Worker;

/// <summary>One task's tensors in the worker: data and output in 64-byte aligned native memory (kernels take
/// raw pointers), the weight as an array, and the expected output to check every kernel against.</summary>
internal sealed unsafe class TaskBuffers : IDisposable
{
    private const nuint Alignment = 64;

    public TaskBuffers(float[] data, float[] weight, float[] expected)
    {
        Weight = weight;
        Expected = expected;
        DataLength = data.Length;
        Data = (float*)NativeMemory.AlignedAlloc((nuint)Math.Max(1, data.Length) * sizeof(float), Alignment);
        data.CopyTo(new Span<float>(Data, data.Length));
        Output = (float*)NativeMemory.AlignedAlloc((nuint)Math.Max(1, expected.Length) * sizeof(float), Alignment);
    }

    public float* Data { get; private set; }
    public int DataLength { get; }
    public float* Output { get; private set; }
    public float[] Weight { get; }
    public float[] Expected { get; }

    public Span<float> OutputSpan => new(Output, Expected.Length);

    public void Dispose()
    {
        if (Data is not null) NativeMemory.AlignedFree(Data);
        if (Output is not null) NativeMemory.AlignedFree(Output);
        Data = null;
        Output = null;
    }
}
