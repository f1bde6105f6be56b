using Tessel.Graph.Zoo;
using Tessel.Tasks;
using Tessel.Templates.Conv2d;
using Tessel.Templates.Conv2dTranspose;
using Tessel.Templates.Dense;
using Tessel.Templates.Depthwise;
using Tessel.Templates.Winograd;
using Tessel.Workloads;

namespace Tessel.Bench;

/// <summary>The layers the kernel benchmark covers, taken from the zoo's models (Gluon CV shapes) by task
/// extraction: every distinct conv of ResNet-50 v1, MobileNetV2's depthwise and 1x1 convs, ResNet-50's
/// 2048 -> 1000 classifier, and the pose model's three transposed convs.</summary>
public static class Layers
{
    /// <summary>ResNet-50's tasks, extracted once for both lists below (declared first: static fields initialise in order).</summary>
    private static readonly List<TuningTask> ResNet50 = Tasks("resnet50_v1").ToList();

    public static IReadOnlyList<BenchLayer> Kernels { get; } = Build();

    /// <summary>ResNet-50's 3x3 stride-1 convs as the Winograd tasks task extraction adds beside them.</summary>
    public static IReadOnlyList<BenchLayer> Winograd { get; } = ResNet50.Where(t => t.Name == Conv2dWinogradTemplate.Name)
        .Select(t => new BenchLayer("resnet50 winograd " + Describe(t), t)).ToList();

    private static List<BenchLayer> Build()
    {
        var layers = new List<BenchLayer>();
        var resnet = ResNet50;
        layers.AddRange(resnet.Where(t => t.Name == Conv2dNchwTemplate.Name).Select(t => new BenchLayer("resnet50 " + Describe(t), t)));
        layers.AddRange(Tasks("mobilenetv2_1.0")
            .Where(t => t.Name == DepthwiseConv2dNchwTemplate.Name || t.Name == Conv2dNchwTemplate.Name && Conv2dParams.From(t.Workload) is { KH: 1, KW: 1, Groups: 1 })
            .Select(t => new BenchLayer("mobilenetv2 " + Describe(t), t)));
        layers.AddRange(resnet.Where(t => t.Name == DenseTemplate.Name).Select(t => new BenchLayer("resnet50 " + Describe(t), t)));
        layers.AddRange(Tasks("simple_pose_resnet18_v1b").Where(t => t.Name == Conv2dTransposeTemplate.Name).Select(t => new BenchLayer("pose " + Describe(t), t)));
        return layers;
    }

    private static IEnumerable<TuningTask> Tasks(string model) =>
        TaskExtraction.Extract(ModelZoo.Build(model), Target.Host).Select(t => t.Task);

    /// <summary>A short name: "3x3 64->64@56", "1x1 256->128@56 s2", "dw 144@56 s2", "dense 2048->1000", "deconv 4x4 512->256@8 s2".</summary>
    private static string Describe(TuningTask task)
    {
        if (task.Name == Conv2dTransposeTemplate.Name)
        {
            var t = Conv2dTransposeParams.From(task.Workload);
            return $"deconv {t.KH}x{t.KW} {t.C}->{t.OC}@{t.H} s{t.StrideH}";
        }
        if (task.Name == DenseTemplate.Name)
            return $"dense {task.Workload.TensorShape(0)[1]}->{task.Workload.TensorShape(1)[0]}";
        if (task.Name == DepthwiseConv2dNchwTemplate.Name)
        {
            var d = task.Workload.TensorShape(0);
            var s = task.Workload.IntList(2)[0];
            return $"dw {d[1]}@{d[2]}" + (s > 1 ? $" s{s}" : "");
        }
        var p = Conv2dParams.From(task.Name == Conv2dWinogradTemplate.Name ? Conv2dWinogradTemplate.AsDirect(task.Workload) : task.Workload);
        return $"{p.KH}x{p.KW} {p.C}->{p.OC}@{p.H}" + (p.StrideH > 1 ? $" s{p.StrideH}" : "");
    }
}
