namespace Tessel.Graph.Zoo;

/// <summary>Simple Baselines pose estimation on ResNet-18 V1b at 256x192, as Gluon CV's <c>simple_pose_resnet18_v1b</c>
/// (<c>SimplePoseResNet</c> defaults): the backbone up to stage 4 (stride 32, 8x6), three 4x4 stride-2 transposed
/// convs of 256 filters (padding 1, output_padding 0, no bias), each + BN + ReLU, back to stride 4 (64x48),
/// then a 1x1 conv with bias to 17 joint heatmaps.</summary>
public static class SimplePose
{
    private const int Joints = 17;

    public static ModelGraph ResNet18V1b()
    {
        var b = new GraphBuilder("simple_pose_resnet18_v1b", seed: 5);
        var x = ResNetV1.ResNet18Stages(b, b.Input("data", [1, 3, 256, 192]))[^1];
        // Gluon CV's _get_deconv_cfg: a 4x4 kernel takes padding 1 and output_padding 0, so each layer doubles H and W.
        foreach (var filters in new[] { 256, 256, 256 })
            x = b.Relu(b.BatchNorm(b.ConvTranspose(x, filters, 4, 2, 1, outputPadding: 0)));
        return b.Build(b.Conv(x, Joints, 1, bias: true));
    }
}
