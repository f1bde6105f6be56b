namespace Tessel.Graph.Zoo;

/// <summary>The built-in models (<c>zoo:NAME</c>), defined in code with the layer shapes of their Gluon CV
/// definitions and random weights from a fixed seed (no pretrained weights are needed to tune kernels).</summary>
public static class ModelZoo
{
    private static readonly Dictionary<string, Func<ModelGraph>> Models = new(StringComparer.OrdinalIgnoreCase)
    {
        ["resnet18_v1"] = ResNetV1.ResNet18,
        ["resnet50_v1"] = ResNetV1.ResNet50,
        ["mobilenetv2_1.0"] = MobileNetV2.Build,
        ["vgg19_bn"] = Vgg.Vgg19Bn,
        ["squeezenet1.1"] = SqueezeNet.V11,
        ["densenet121"] = DenseNet.DenseNet121,
        ["yolo3_mobilenet1.0_voc"] = Yolo3.MobileNet10Voc,
        ["ssd512_resnet50_v1_voc"] = Ssd.ResNet50V1Voc512,
        ["simple_pose_resnet18_v1b"] = SimplePose.ResNet18V1b,
        ["mobilenet0.5"] = MobileNetV1.MobileNet05,
    };

    public static IReadOnlyList<string> Names => Models.Keys.ToArray();

    public static ModelGraph Build(string name) =>
        Models.TryGetValue(name, out var build) ? build()
            : throw new ArgumentException($"no zoo model named '{name}' (available: {string.Join(", ", Names)})");
}
