using FsCheck;
using FsCheck.Fluent;
using Tessel.Layouts;

namespace Tessel.Tests.Layouts;

public class ChannelBlocksTests
{
    [Fact]
    public unsafe void Blocked_element_sits_where_the_layout_says_and_padding_is_zero()
    {
        // 2 images, 5 channels, 3 pixels, blocks of 4: channel c of pixel p at ((n * 2 + c / 4) * 3 + p) * 4 + c % 4.
        var nchw = Enumerable.Range(0, 2 * 5 * 3).Select(i => (float)(i + 1)).ToArray();
        var blocked = new float[ChannelBlocks.Length(2, 5, 3, 4)];
        Assert.Equal(2 * 2 * 3 * 4, blocked.Length);
        fixed (float* s = nchw, d = blocked) ChannelBlocks.Convert(s, 1, d, 4, 2, 5, 3);
        for (var n = 0; n < 2; n++)
        for (var c = 0; c < 8; c++)
        for (var p = 0; p < 3; p++)
            Assert.Equal(c < 5 ? nchw[(n * 5 + c) * 3 + p] : 0f, blocked[((n * 2 + c / 4) * 3 + p) * 4 + c % 4]);
    }

    /// <summary>Whole 8-channel groups and planes of 8 pixels or more take the transposing path: every element lands
    /// where the layout says, the plane's last pixels (not a multiple of 8) and a part-filled last block included.</summary>
    [Theory]
    [InlineData(1, 16, 21, 16)]
    [InlineData(2, 40, 16, 8)]
    [InlineData(1, 64, 13, 32)]
    [InlineData(1, 20, 9, 16)]
    public unsafe void Blocks_of_eight_channels_convert_element_by_element(int batch, int channels, int plane, int block)
    {
        var nchw = Enumerable.Range(0, batch * channels * plane).Select(i => (float)(i + 1)).ToArray();
        var blocked = new float[ChannelBlocks.Length(batch, channels, plane, block)];
        var back = new float[nchw.Length];
        fixed (float* s = nchw, d = blocked, r = back)
        {
            ChannelBlocks.Convert(s, 1, d, block, batch, channels, plane);
            ChannelBlocks.Convert(d, block, r, 1, batch, channels, plane);
        }
        var blocks = ChannelBlocks.Blocks(channels, block);
        for (var n = 0; n < batch; n++)
        for (var c = 0; c < blocks * block; c++)
        for (var p = 0; p < plane; p++)
            Assert.Equal(c < channels ? nchw[(n * channels + c) * plane + p] : 0f, blocked[((n * blocks + c / block) * plane + p) * block + c % block]);
        Assert.Equal(nchw, back);
    }

    [Fact]
    public void Any_chain_of_conversions_gives_back_the_tensor()
    {
        var blocks = Gen.Elements(1, 2, 3, 4, 8, 16, 32);
        var cases = from batch in Gen.Choose(1, 2)
                    from channels in Gen.Choose(1, 70)
                    from plane in Gen.Choose(1, 20)
                    from first in blocks
                    from second in blocks
                    select (batch, channels, plane, first, second);
        Prop.ForAll(cases.ToArbitrary(), c => RoundTrips(c.batch, c.channels, c.plane, c.first, c.second)).QuickCheckThrowOnFailure();
    }

    private static unsafe bool RoundTrips(int batch, int channels, int plane, int first, int second)
    {
        var nchw = Enumerable.Range(0, batch * channels * plane).Select(i => i * 0.5f - 3).ToArray();
        var a = new float[ChannelBlocks.Length(batch, channels, plane, first)];
        var b = new float[ChannelBlocks.Length(batch, channels, plane, second)];
        var back = new float[nchw.Length];
        fixed (float* s = nchw, pa = a, pb = b, r = back)
        {
            ChannelBlocks.Convert(s, 1, pa, first, batch, channels, plane);
            ChannelBlocks.Convert(pa, first, pb, second, batch, channels, plane, threads: 2);
            ChannelBlocks.Convert(pb, second, r, 1, batch, channels, plane);
        }
        return back.SequenceEqual(nchw);
    }
}
