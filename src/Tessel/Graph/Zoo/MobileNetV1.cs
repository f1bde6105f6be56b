namespace Tessel.Graph.Zoo;

/// <summary>MobileNet V1 as Gluon CV defines it (<c>mobilenet1.0</c>, <c>mobilenet0.5</c>: every width times the multiplier): a 3x3
/// stride-2 stem, then 13 depthwise separable blocks (3x3 depthwise + BN + ReLU, 1x1 pointwise + BN + ReLU), global average pool,
/// flatten, a 1000-way dense layer.</summary>
public static class MobileNetV1
{
    /// <summary>Gluon CV's <c>mobilenet0.5</c> (MobileNet(multiplier=0.5)): a model the selective scheme was not chosen on.</summary>
    public static ModelGraph MobileNet05() => Build("mobilenet0.5", 0.5);

    private static ModelGraph Build(string name, double multiplier)
    {
        int Width(int channels) => (int)(channels * multiplier);
        var b = new GraphBuilder(name, seed: 51);
        var x = b.Relu(b.BatchNorm(b.Conv(b.Input("data", [1, 3, 224, 224]), Width(32), 3, 2, 1)));
        for (var i = 0; i < Channels.Length; i++)
        {
            x = b.Relu(b.BatchNorm(b.Conv(x, Width(DepthwiseChannels[i]), 3, Strides[i], 1, groups: Width(DepthwiseChannels[i]))));
            x = b.Relu(b.BatchNorm(b.Conv(x, Width(Channels[i]), 1)));
        }
        return b.Build(b.Dense(b.Flatten(b.GlobalAvgPool(x)), 1000));
    }

    private static readonly int[] DepthwiseChannels = [32, 64, 128, 128, 256, 256, 512, 512, 512, 512, 512, 512, 1024];
    private static readonly int[] Channels = [64, 128, 128, 256, 256, 512, 512, 512, 512, 512, 512, 1024, 1024];
    private static readonly int[] Strides = [1, 2, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1];

    /// <summary>The outputs after blocks 5, 11 and 13 (strides 8, 16, 32): Gluon CV's YOLOv3 splits the
    /// features there (<c>features[:33]</c>, <c>[33:69]</c>, <c>[69:-2]</c>).</summary>
    public static string[] YoloStages(GraphBuilder b, string x)
    {
        x = b.Relu(b.BatchNorm(b.Conv(x, 32, 3, 2, 1)));
        var stages = new List<string>();
        for (var i = 0; i < Channels.Length; i++)
        {
            x = b.Relu(b.BatchNorm(b.Conv(x, DepthwiseChannels[i], 3, Strides[i], 1, groups: DepthwiseChannels[i])));
            x = b.Relu(b.BatchNorm(b.Conv(x, Channels[i], 1)));
            if (i is 4 or 10 or 12) stages.Add(x);
        }
        return stages.ToArray();
    }
}
