using Tessel.Tasks;
using Tessel.Templates.Dense;
using Tessel.Templates.Depthwise;

namespace Tessel.Bench;

/// <summary>The layers each benchmark covers, with the shapes of their models (Gluon CV definitions).</summary>
public static class Layers
{
    /// <summary>ResNet-50 v1's 3x3 and 1x1 convs (Gluon's bottleneck puts the stride on the first 1x1),
    /// two MobileNetV2 depthwise layers (stride 2 and 1), and ResNet-50's 2048 -> 1000 classifier.</summary>
    public static IReadOnlyList<BenchLayer> Issue3 { get; } =
    [
        BenchLayer.Conv("resnet50 3x3 64@56", 64, 56, 64, 3, 1, 1),
        BenchLayer.Conv("resnet50 3x3 128@28", 128, 28, 128, 3, 1, 1),
        BenchLayer.Conv("resnet50 3x3 256@14", 256, 14, 256, 3, 1, 1),
        BenchLayer.Conv("resnet50 3x3 512@7", 512, 7, 512, 3, 1, 1),
        BenchLayer.Conv("resnet50 1x1 256->64@56", 256, 56, 64, 1, 1, 0),
        BenchLayer.Conv("resnet50 1x1 64->256@56", 64, 56, 256, 1, 1, 0),
        BenchLayer.Conv("resnet50 1x1 1024->256@14", 1024, 14, 256, 1, 1, 0),
        new("mobilenetv2 dw 144@56 s2", new TuningTask(DepthwiseConv2dNchwTemplate.Instance,
            DepthwiseConv2dNchwTemplate.Workload([1, 144, 56, 56], [144, 1, 3, 3], [2, 2], [1, 1, 1, 1], [1, 1]), Target.Host)),
        new("mobilenetv2 dw 192@28 s1", new TuningTask(DepthwiseConv2dNchwTemplate.Instance,
            DepthwiseConv2dNchwTemplate.Workload([1, 192, 28, 28], [192, 1, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1]), Target.Host)),
        new("resnet50 dense 2048->1000", new TuningTask(DenseTemplate.Instance,
            DenseTemplate.Workload([1, 2048], [1000, 2048]), Target.Host)),
    ];
}
