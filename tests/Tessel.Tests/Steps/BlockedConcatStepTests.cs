using Tessel.Layouts;
using Tessel.Runtime.Steps;

namespace Tessel.Tests.Steps;

public sealed unsafe class BlockedConcatStepTests
{
    /// <summary>Also one large enough to be shared between two threads, cut inside an input's copy.</summary>
    [Theory]
    [InlineData(16, 1, 5 * 7, 1)]
    [InlineData(8, 3, 5 * 7, 2)]
    [InlineData(16, 2, 33 * 35, 2)]
    public void A_blocked_concat_of_whole_blocks_is_the_nchw_concat_blocked(int block, int batch, int plane, int threads)
    {
        int[] channels = [block, 3 * block, 2 * block];
        var random = new Random(block + batch);
        var nchw = channels.Select(c => Enumerable.Range(0, batch * c * plane).Select(_ => (float)random.NextDouble()).ToArray()).ToArray();
        var blocked = nchw.Select((x, i) =>
        {
            var b = new float[ChannelBlocks.Length(batch, channels[i], plane, block)];
            fixed (float* s = x, d = b) ChannelBlocks.Convert(s, 1, d, block, batch, channels[i], plane);
            return b;
        }).ToArray();
        var total = channels.Sum();
        var output = new float[ChannelBlocks.Length(batch, total, plane, block)];
        new BlockedConcatStep(blocked, output, channels, plane, batch, threads).Run();
        var result = new float[batch * total * plane];
        fixed (float* s = output, d = result) ChannelBlocks.Convert(s, block, d, 1, batch, total, plane);

        // NCHW concat along channels: per image, each input's channels in turn.
        var expected = Enumerable.Range(0, batch).SelectMany(n => nchw.SelectMany((x, i) => x.Skip(n * channels[i] * plane).Take(channels[i] * plane))).ToArray();
        Assert.Equal(expected, result);
    }
}
