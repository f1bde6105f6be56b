namespace Tessel.Graph.Zoo;

/// <summary>SSD 512 on ResNet-50 V1 for VOC (20 classes + background), as Gluon CV's
/// <c>ssd_512_resnet50_v1_voc</c>, up to the raw predictor outputs. Features: stage 3 (stride 16) and stage 4
/// (stride 32) of the backbone, then four expander blocks (1x1 conv, 3x3 stride-2 conv, each + BN + ReLU) of
/// 512, 512, 256, 256 channels. Each of the six maps gets a 3x3 class and a 3x3 box predictor (4 or 6 anchors);
/// as in Gluon CV, predictions are moved to NHWC, flattened and concatenated: classes [1, anchors, 21] and
/// boxes [1, anchors, 4].</summary>
public static class Ssd
{
    private const int Classes = 20 + 1;

    public static ModelGraph ResNet50V1Voc512()
    {
        var b = new GraphBuilder("ssd512_resnet50_v1_voc", seed: 4);
        var stages = ResNetV1.ResNet50Stages(b, b.Input("data", [1, 3, 512, 512]));
        var features = new List<string> { stages[2], stages[3] };
        var x = stages[3];
        foreach (var filters in new[] { 512, 512, 256, 256 })
        {
            x = b.Relu(b.BatchNorm(b.Conv(x, filters, 1)));
            x = b.Relu(b.BatchNorm(b.Conv(x, filters, 3, 2, 1)));
            features.Add(x);
        }
        int[] anchors = [4, 6, 6, 6, 4, 4];
        string Predict(string feature, int channels) => b.Flatten(b.Transpose(b.Conv(feature, channels, 3, 1, 1, bias: true), 0, 2, 3, 1));
        var classes = features.Select((f, i) => Predict(f, anchors[i] * Classes)).ToArray();
        var boxes = features.Select((f, i) => Predict(f, anchors[i] * 4)).ToArray();
        return b.Build(b.Reshape(b.ConcatOn(1, classes), 0, -1, Classes), b.Reshape(b.ConcatOn(1, boxes), 0, -1, 4));
    }
}
