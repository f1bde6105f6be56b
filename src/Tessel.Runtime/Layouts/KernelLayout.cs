namespace Tessel.Layouts;

/// <summary>The channel blocks of the two tensors a kernel's <c>Run</c> takes: its input (<see cref="Channels"/>
/// x <see cref="Plane"/> pixels per image, in blocks of <see cref="InputBlock"/>) and its output. A block of 1
/// is plain NCHW. Measurement converts the task's NCHW data into this layout before timing and the output
/// back before checking it; a model's runtime inserts a conversion only where neighbouring steps disagree.</summary>
public sealed record KernelLayout(int Batch, int Channels, int Plane, int InputBlock, int OutputChannels, int OutputPlane, int OutputBlock)
{
    public long InputLength => ChannelBlocks.Length(Batch, Channels, Plane, InputBlock);

    public long OutputLength => ChannelBlocks.Length(Batch, OutputChannels, OutputPlane, OutputBlock);
}
