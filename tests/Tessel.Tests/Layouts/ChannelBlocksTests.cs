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

    [Fact]
    public void Any_chain_of_conversions_gives_back_the_tensor()
    {
        var blocks = Gen.Elements(1, 2, 3, 4, 8, 16);
        var cases = from batch in Gen.Choose(1, 2)
                    from channels in Gen.Choose(1, 37)
                    from plane in Gen.Choose(1, 9)
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
