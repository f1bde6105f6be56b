using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Tessel.Layouts;

/// <summary>One conversion between channel blockings (<see cref="ChannelBlocks"/>), planned once and run per call:
/// work items are groups of channels that are whole blocks in both layouts (the blocks' least common multiple), and
/// each item walks its pixels in order with the group's channels innermost, so both tensors stream forward instead
/// of being crossed once per channel at a block's stride; between NCHW and blocks of 8k channels it moves 8 x 8
/// tiles transposed in AVX registers. The destination's padding lanes are zeroed.</summary>
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
        KernelRuntime.WorkPool.For(Batch * groups, threads, item);
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
        // Between NCHW and whole blocks of 8k channels, 8 x 8 tiles are transposed in registers; the rest is scalar.
        long done = Avx.IsSupported && real == group && group % 8 == 0 && (fromBlock == 1 || toBlock == 1) ? Transposed(s, d) : 0;
        for (long p = done; p < plane; p++)
        {
            for (var j = 0; j < real; j++) d[toOffset[j] + p * tb] = s[fromOffset[j] + p * fb];
            for (var j = real; j < padded; j++) d[toOffset[j] + p * tb] = 0;
        }
    }

    /// <summary>The pixels of one group up to the last whole 8, as 8 x 8 tiles (channels x pixels in NCHW, pixels x
    /// channels in blocks); returns how many pixels it did.</summary>
    private long Transposed(float* s, float* d)
    {
        long whole = plane / 8 * 8;
        for (long p = 0; p < whole; p += 8)
            for (var k = 0; k < group; k += 8)
            {
                if (fromBlock == 1) Transpose8x8(s + k * (long)plane + p, plane, d + p * group + k, group);
                else Transpose8x8(s + p * group + k, group, d + k * (long)plane + p, plane);
            }
        return whole;
    }

    /// <summary>Writes the transpose of the 8 x 8 tile at <paramref name="source"/> (rows <paramref name="sourceStride"/>
    /// apart) to <paramref name="destination"/> (rows <paramref name="destinationStride"/> apart).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* source, long sourceStride, float* destination, long destinationStride)
    {
        var r0 = Avx.LoadVector256(source);
        var r1 = Avx.LoadVector256(source + sourceStride);
        var r2 = Avx.LoadVector256(source + 2 * sourceStride);
        var r3 = Avx.LoadVector256(source + 3 * sourceStride);
        var r4 = Avx.LoadVector256(source + 4 * sourceStride);
        var r5 = Avx.LoadVector256(source + 5 * sourceStride);
        var r6 = Avx.LoadVector256(source + 6 * sourceStride);
        var r7 = Avx.LoadVector256(source + 7 * sourceStride);
        // Pairs of rows interleaved, then pairs of pairs: each 128-bit half holds a 4 x 4 quarter, transposed.
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44);
        var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44);
        var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44);
        var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44);
        var u7 = Avx.Shuffle(t5, t7, 0xEE);
        // Low halves make columns 0-3, high halves columns 4-7.
        Avx.Store(destination, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(destination + destinationStride, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(destination + 2 * destinationStride, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(destination + 3 * destinationStride, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(destination + 4 * destinationStride, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(destination + 5 * destinationStride, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(destination + 6 * destinationStride, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(destination + 7 * destinationStride, Avx.Permute2x128(u3, u7, 0x31));
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
}
