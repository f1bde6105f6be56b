namespace Tessel.Graph.Zoo;

/// <summary>MobileNetV2 1.0 as Gluon CV defines it: every inverted residual has its 1x1 expansion (even
/// with t = 1), ReLU6, and the classifier is a 1x1 convolution on the pooled features.</summary>
public static class MobileNetV2
{
    private static readonly int[] In = [32, 16, 24, 24, 32, 32, 32, 64, 64, 64, 64, 96, 96, 96, 160, 160, 160];
    private static readonly int[] Out = [16, 24, 24, 32, 32, 32, 64, 64, 64, 64, 96, 96, 96, 160, 160, 160, 320];
    private static readonly int[] Expansion = [1, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6];
    private static readonly int[] Strides = [1, 2, 1, 2, 1, 1, 2, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1];

    public static ModelGraph Build()
    {
        var b = new GraphBuilder("mobilenetv2_1.0", seed: 2);
        var x = b.Input("data", [1, 3, 224, 224]);
        x = b.Relu6(b.BatchNorm(b.Conv(x, 32, 3, 2, 1)));
        for (var i = 0; i < In.Length; i++)
        {
            var hidden = In[i] * Expansion[i];
            var y = b.Relu6(b.BatchNorm(b.Conv(x, hidden, 1)));
            y = b.Relu6(b.BatchNorm(b.Conv(y, hidden, 3, Strides[i], 1, groups: hidden)));
            y = b.BatchNorm(b.Conv(y, Out[i], 1));
            x = Strides[i] == 1 && In[i] == Out[i] ? b.Sum(y, x) : y;
        }
        x = b.Relu6(b.BatchNorm(b.Conv(x, 1280, 1)));
        return b.Build(b.Flatten(b.Conv(b.GlobalAvgPool(x), 1000, 1)));
    }
}
