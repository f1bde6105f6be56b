namespace Tessel.Graph.Zoo;

/// <summary>YOLOv3 on MobileNet 1.0 for VOC (20 classes) at 416x416, as Gluon CV's <c>yolo3_mobilenet1.0_voc</c>,
/// up to the raw head outputs: three 1x1 conv predictions of 3 anchors x (20 + 5) channels at strides 32,
/// 16 and 8. Convs in the detection blocks are conv + BN + LeakyReLU(0.1) without bias.</summary>
public static class Yolo3
{
    private const int Outputs = 3 * (20 + 5);

    public static ModelGraph MobileNet10Voc()
    {
        var b = new GraphBuilder("yolo3_mobilenet1.0_voc", seed: 3);
        var routes = MobileNetV1.YoloStages(b, b.Input("data", [1, 3, 416, 416]));
        int[] channels = [512, 256, 128];
        var heads = new List<string>();
        var x = routes[^1];
        for (var i = 0; i < channels.Length; i++)
        {
            // Detection block: (1x1 c, 3x3 2c) twice, 1x1 c as the route, 3x3 2c as the tip.
            for (var k = 0; k < 2; k++) x = Unit(b, Unit(b, x, channels[i], 1), channels[i] * 2, 3);
            x = Unit(b, x, channels[i], 1);
            var tip = Unit(b, x, channels[i] * 2, 3);
            heads.Add(b.Conv(tip, Outputs, 1, bias: true));
            if (i == channels.Length - 1) break;
            // Transition to the next (shallower) scale: 1x1, upsample x2, concat with that stage's features.
            x = b.Concat(b.Upsample(Unit(b, x, channels[i + 1], 1), 2), routes[^(i + 2)]);
        }
        return b.Build(heads.ToArray());
    }

    private static string Unit(GraphBuilder b, string x, int channels, int kernel) =>
        b.LeakyRelu(b.BatchNorm(b.Conv(x, channels, kernel, 1, kernel / 2)), 0.1f);
}
