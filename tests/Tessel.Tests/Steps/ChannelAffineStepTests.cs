using Tessel.Runtime.Steps;

namespace Tessel.Tests.Steps;

public sealed class ChannelAffineStepTests
{
    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 2)]
    public void Each_channel_is_scaled_shifted_and_activated_in_one_step(bool relu, int threads)
    {
        const int batch = 2, channels = 5, plane = 37;
        var random = new Random(3);
        float[] Values(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var (x, scale, shift) = (Values(batch * channels * plane), Values(channels), Values(channels));
        var y = new float[x.Length];
        new ChannelAffineStep(x, y, scale, shift, relu ? Activation.Relu : Activation.None, batch, channels, plane, threads).Run();
        for (var i = 0; i < x.Length; i++)
        {
            var c = i / plane % channels;
            var expected = x[i] * scale[c] + shift[c];
            Assert.Equal(relu ? Math.Max(0, expected) : expected, y[i], 1e-6f);
        }
    }
}
