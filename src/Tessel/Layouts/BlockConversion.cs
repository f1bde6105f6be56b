namespace Tessel.Layouts;

/// <summary>One conversion between channel blockings (<see cref="ChannelBlocks"/>), planned once and run per call:
/// work items are groups of channels that are whole blocks in both layouts (the blocks' least common multiple), and
/// each item walks its pixels in order with the group's channels innermost, so both tensors stream forward instead
/// of being crossed once per channel at a block's stride. The destination's padding lanes are zeroed.</summary>
public sealed unsafe class BlockConversion
{
    private readonly int fromBlock, toBlock, channels, plane, group, groups;
    private readonly long fromImage, toImage;
    // Per channel of a group: its offset from the group's start in each layout (pixel 0).
    private readonly long[] fromOffset, toOffset;
    private readonly Action<int> item;
    private float* source, destination;

    public BlockConversion(int fromBlock, int toBlock, int batch, int channels, int plane)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fromBlock, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(toBlock, 1);
        (this.fromBlock, this.toBlock, this.channels, this.plane, Batch) = (fromBlock, toBlock, channels, plane, batch);
        group = fromBlock / Gcd(fromBlock, toBlock) * toBlock;
        groups = (channels + group - 1) / group;
        fromImage = ChannelBlocks.Length(1, channels, plane, fromBlock);
        toImage = ChannelBlocks.Length(1, channels, plane, toBlock);
        fromOffset = Offsets(fromBlock);
        toOffset = Offsets(toBlock);
        item = Item;
    }

    public int Batch { get; }

    public void Run(float* from, float* to, int threads = 1)
    {
        source = from;
        destination = to;
        Codegen.WorkPool.For(Batch * groups, threads, item);
    }

    private long[] Offsets(int block) => Enumerable.Range(0, group).Select(j => (long)(j / block) * plane * block + j % block).ToArray();

    private void Item(int i)
    {
        int n = i / groups, g = i % groups, first = g * group;
        var s = source + n * fromImage + (long)first * plane;
        var d = destination + n * toImage + (long)first * plane;
        int real = Math.Min(group, channels - first);
        // Lanes past the last channel that the destination has (its last block's padding): zero.
        int padded = Math.Min(group, ChannelBlocks.Blocks(channels, toBlock) * toBlock - first);
        long fb = fromBlock, tb = toBlock;
        for (long p = 0; p < plane; p++)
        {
            for (var j = 0; j < real; j++) d[toOffset[j] + p * tb] = s[fromOffset[j] + p * fb];
            for (var j = real; j < padded; j++) d[toOffset[j] + p * tb] = 0;
        }
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
}
