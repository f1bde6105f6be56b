namespace Tessel.Runtime.Steps;

/// <summary>A channel concat of channel-blocked tensors whose channel counts are whole blocks: in NCHW[b]c each image's
/// blocks of one input are contiguous and follow the previous input's, so the concat is one copy per input and image,
/// and the tensors around it (a SqueezeNet fire module's expands, the pool after them) stay blocked.</summary>
public sealed class BlockedConcatStep(float[][] inputs, float[] output, int[] channels, int plane, int batch) : IStep
{
    private readonly int image = channels.Sum() * plane;

    public void Run()
    {
        for (var n = 0; n < batch; n++)
        {
            var at = n * image;
            for (var i = 0; i < inputs.Length; i++)
            {
                var length = channels[i] * plane;
                inputs[i].AsSpan(n * length, length).CopyTo(output.AsSpan(at, length));
                at += length;
            }
        }
    }
}
