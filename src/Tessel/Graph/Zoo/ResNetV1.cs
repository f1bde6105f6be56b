namespace Tessel.Graph.Zoo;

/// <summary>ResNet V1 as Gluon CV defines it (<c>resnet18_v1</c>: basic blocks; <c>resnet50_v1</c>: bottleneck
/// blocks whose stride sits on the first 1x1 conv, which has a bias).</summary>
public static class ResNetV1
{
    public static ModelGraph ResNet18() => Build("resnet18_v1", bottleneck: false, [2, 2, 2, 2], [64, 64, 128, 256, 512]);

    public static ModelGraph ResNet50() => Build("resnet50_v1", bottleneck: true, [3, 4, 6, 3], [64, 256, 512, 1024, 2048]);

    private static ModelGraph Build(string name, bool bottleneck, int[] layers, int[] channels)
    {
        var b = new GraphBuilder(name, seed: 50);
        var x = Stages(b, b.Input("data", [1, 3, 224, 224]), bottleneck, layers, channels)[^1];
        return b.Build(b.Dense(b.Flatten(b.GlobalAvgPool(x)), 1000));
    }

    /// <summary>ResNet-18's feature stages, which are also Gluon CV's <c>resnet18_v1b</c> without its pool and
    /// classifier: BasicBlockV1b is BasicBlockV1 (V1b moves only the bottleneck's stride, onto the 3x3 conv).</summary>
    public static string[] ResNet18Stages(GraphBuilder b, string x) => Stages(b, x, bottleneck: false, [2, 2, 2, 2], [64, 64, 128, 256, 512]);

    /// <summary>ResNet-50 V1's feature stages: what detection models build on.</summary>
    public static string[] ResNet50Stages(GraphBuilder b, string x) => Stages(b, x, bottleneck: true, [3, 4, 6, 3], [64, 256, 512, 1024, 2048]);

    /// <summary>The stem and the four stages; returns each stage's output.</summary>
    private static string[] Stages(GraphBuilder b, string x, bool bottleneck, int[] layers, int[] channels)
    {
        x = b.MaxPool(b.Relu(b.BatchNorm(b.Conv(x, channels[0], 7, 2, 3))), 3, 2, 1);
        var outputs = new string[layers.Length];
        for (var stage = 0; stage < layers.Length; stage++)
        {
            for (var block = 0; block < layers[stage]; block++)
            {
                var stride = stage > 0 && block == 0 ? 2 : 1;
                x = bottleneck ? Bottleneck(b, x, channels[stage + 1], stride) : Basic(b, x, channels[stage + 1], stride);
            }
            outputs[stage] = x;
        }
        return outputs;
    }

    private static string Shortcut(GraphBuilder b, string x, int channels, int stride) =>
        stride != 1 || b.Channels(x) != channels ? b.BatchNorm(b.Conv(x, channels, 1, stride, bias: false)) : x;

    private static string Basic(GraphBuilder b, string x, int channels, int stride)
    {
        var body = b.Relu(b.BatchNorm(b.Conv(x, channels, 3, stride, 1)));
        body = b.BatchNorm(b.Conv(body, channels, 3, 1, 1));
        return b.Relu(b.Sum(body, Shortcut(b, x, channels, stride)));
    }

    private static string Bottleneck(GraphBuilder b, string x, int channels, int stride)
    {
        var body = b.Relu(b.BatchNorm(b.Conv(x, channels / 4, 1, stride, bias: true)));
        body = b.Relu(b.BatchNorm(b.Conv(body, channels / 4, 3, 1, 1)));
        body = b.BatchNorm(b.Conv(body, channels, 1, 1, bias: true));
        return b.Relu(b.Sum(body, Shortcut(b, x, channels, stride)));
    }
}
