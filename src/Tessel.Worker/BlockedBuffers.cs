using System.Runtime.InteropServices;
using Tessel.Layouts;

namespace Tessel.Worker;

/// <summary>A channel-blocked kernel's own input and output (<see cref="KernelLayout"/>), in aligned native memory:
/// the input converted from the task's NCHW data once, the output converted back for the correctness check.</summary>
internal sealed unsafe class BlockedBuffers : IDisposable
{
    private const nuint Alignment = 64;

    private readonly KernelLayout layout;

    public BlockedBuffers(KernelLayout layout, float* nchwData)
    {
        this.layout = layout;
        Data = (float*)NativeMemory.AlignedAlloc((nuint)Math.Max(1, layout.InputLength) * sizeof(float), Alignment);
        Output = (float*)NativeMemory.AlignedAlloc((nuint)Math.Max(1, layout.OutputLength) * sizeof(float), Alignment);
        ChannelBlocks.Convert(nchwData, 1, Data, layout.InputBlock, layout.Batch, layout.Channels, layout.Plane);
    }

    public float* Data { get; private set; }
    public float* Output { get; private set; }

    public void FillOutput(float value) => new Span<float>(Output, checked((int)layout.OutputLength)).Fill(value);

    public void CopyOutputTo(float* nchw) =>
        ChannelBlocks.Convert(Output, layout.OutputBlock, nchw, 1, layout.Batch, layout.OutputChannels, layout.OutputPlane);

    public void Dispose()
    {
        if (Data is not null) NativeMemory.AlignedFree(Data);
        if (Output is not null) NativeMemory.AlignedFree(Output);
        Data = null;
        Output = null;
    }
}
