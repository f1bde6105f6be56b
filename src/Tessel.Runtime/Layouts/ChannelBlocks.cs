namespace Tessel.Layouts;

/// <summary>Channel-blocked tensors, NCHW[b]c: dims [N, ceil(C / b), H, W, b], so that b channels of one pixel
/// are one vector (b = 1 is plain NCHW). A conv that reads and writes this layout loads its inputs' channels
/// and stores its outputs' channels as whole vectors, where NCHW makes it transpose every register tile.
/// Channel c of pixel p of image n sits at ((n * blocks + c / b) * plane + p) * b + c % b. A block need not
/// divide C: the last block's lanes past C are padding, zero when converted here and never read as channels.</summary>
public static class ChannelBlocks
{
    public static int Blocks(int channels, int block) => (channels + block - 1) / block;

    /// <summary>Elements of an NCHW[b]c tensor, padding lanes included.</summary>
    public static long Length(int batch, int channels, int plane, int block) => (long)batch * Blocks(channels, block) * block * plane;

    /// <summary>Copies a tensor from one channel blocking to another (either may be 1, NCHW); the destination's
    /// padding lanes are zeroed. Work is shared among <paramref name="threads"/>. A step that converts on every
    /// call keeps a <see cref="BlockConversion"/> instead.</summary>
    public static unsafe void Convert(float* source, int fromBlock, float* destination, int toBlock, int batch, int channels, int plane, int threads = 1) =>
        new BlockConversion(fromBlock, toBlock, batch, channels, plane).Run(source, destination, threads);
}
