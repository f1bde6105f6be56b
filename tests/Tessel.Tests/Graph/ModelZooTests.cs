using Tessel.Graph.Zoo;
using Tessel.Tasks;
using Tessel.Templates.Conv2d;
using Tessel.Templates.Conv2dNchwc;
using Tessel.Templates.Dense;
using Tessel.Templates.Depthwise;
using Tessel.Templates.DepthwiseNchwc;
using Tessel.Templates.Winograd;
using Tessel.Workloads;

namespace Tessel.Tests.Graph;

public class ModelZooTests
{
    /// <summary>Multiply-accumulates of the Gluon CV definitions (published figures, in billions) and the
    /// number of tunable ops, as a check that the layer shapes in code are the real ones; then the other
    /// implementations of each task, listed right after it with the same count: Winograd for every 3x3 stride-1
    /// conv, the channel-blocked conv for every ungrouped one, the channel-blocked depthwise conv for every depthwise one.
    /// <paramref name="rewritten"/>: the billions the graph's rewrites take off (DenseNet's three transitions pool before their
    /// 1 x 1 convs, each 102.8 million multiply-adds down to a quarter).</summary>
    [Theory]
    [InlineData("resnet18_v1", 1.81, 21, 12, 4, 11, 0)]
    [InlineData("resnet50_v1", 3.86, 54, 21, 4, 20, 0)]
    [InlineData("mobilenetv2_1.0", 0.31, 54, 32, 0, 22, 10)]
    [InlineData("vgg19_bn", 19.6, 19, 12, 9, 9, 0)]
    [InlineData("squeezenet1.1", 0.35, 26, 18, 4, 18, 0)]
    [InlineData("densenet121", 2.83, 121, 66, 4, 65, 0, 3 * 0.0771)]
    [InlineData("mobilenet0.5", 0.150, 28, 20, 0, 10, 9)] // MobileNet paper, 0.5 MobileNet-224: 150 million mult-adds
    public void Zoo_models_have_their_published_size_and_tasks(string name, double gmacs, int tunedOps, int tasks, int winograd, int blocked, int blockedDepthwise,
        double rewritten = 0)
    {
        var extracted = TaskExtraction.Extract(ModelZoo.Build(name), Target.Host);
        var primary = extracted.Where(t => !t.Alternative).ToList();
        var macs = primary.Sum(t => t.Count * t.Flops) / 2e9;
        Assert.InRange(macs + rewritten, gmacs * 0.97, gmacs * 1.03);
        Assert.Equal(tunedOps, primary.Sum(t => t.Count));
        Assert.Equal(tasks, primary.Count);
        Assert.Equal(winograd, extracted.Count(t => t.Task.Name == Conv2dWinogradTemplate.Name));
        Assert.Equal(blocked, extracted.Count(t => t.Task.Name == Conv2dNchwcTemplate.Name));
        Assert.Equal(blockedDepthwise, extracted.Count(t => t.Task.Name == DepthwiseNchwcTemplate.Name));
        Assert.Equal(winograd + blocked + blockedDepthwise, extracted.Count - primary.Count);
        for (var i = 0; i < extracted.Count; i++)
            if (extracted[i].Alternative)
            {
                var own = extracted.Take(i).Last(t => !t.Alternative);
                Assert.Contains(own.Task.Name, new[] { Conv2dNchwTemplate.Name, DepthwiseConv2dNchwTemplate.Name });
                Assert.Equal(own.Task.Workload.Args.ToJsonString(), extracted[i].Task.Workload.Args.ToJsonString());
                Assert.Equal(own.Count, extracted[i].Count);
            }
        Assert.Equal(extracted.Select((_, i) => $"T{i}"), extracted.Select(t => t.Id));
        Assert.Equal(extracted.Count, extracted.Select(t => t.Task.Workload.Key).Distinct().Count());
    }

    [Fact]
    public void Resnet50_has_the_gluon_bottleneck_shapes()
    {
        var tasks = TaskExtraction.Extract(ModelZoo.Build("resnet50_v1"), Target.Host);
        // Gluon's BottleneckV1 puts the stride on the first 1x1 conv: 256 -> 128 channels, 56 -> 28.
        Assert.Contains(tasks, t => t.Task.Workload.Equals(Conv2dNchwTemplate.Workload([1, 256, 56, 56], [128, 256, 1, 1], [2, 2], [0, 0, 0, 0], [1, 1], 1)));
        var stage2 = tasks.Single(t => t.Task.Workload.Equals(Conv2dNchwTemplate.Workload([1, 64, 56, 56], [64, 64, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1], 1)));
        Assert.Equal(3, stage2.Count);
        Assert.Contains(tasks, t => t.Task.Workload.Equals(DenseTemplate.Workload([1, 2048], [1000, 2048])));
    }

    [Fact]
    public void Mobilenetv2_depthwise_convs_become_depthwise_tasks()
    {
        var tasks = TaskExtraction.Extract(ModelZoo.Build("mobilenetv2_1.0"), Target.Host);
        Assert.Contains(tasks, t => t.Task.Workload.Equals(DepthwiseConv2dNchwTemplate.Workload([1, 144, 56, 56], [144, 1, 3, 3], [2, 2], [1, 1, 1, 1], [1, 1])));
        Assert.Equal(17, tasks.Where(t => t.Task.Name == DepthwiseConv2dNchwTemplate.Name).Sum(t => t.Count));
    }

    /// <summary>The detection models end at their raw heads: YOLOv3's three 3 x (20 + 5) predictions at strides
    /// 32, 16, 8; SSD's class and box predictions over 32^2*4 + 16^2*6 + 8^2*6 + 4^2*6 + 2^2*4 + 1*4 = 6132 anchors.</summary>
    [Fact]
    public void Detection_models_end_at_their_raw_heads()
    {
        var yolo = ModelZoo.Build("yolo3_mobilenet1.0_voc");
        Assert.Equal([[1, 75, 13, 13], [1, 75, 26, 26], [1, 75, 52, 52]], yolo.Outputs.Select(yolo.Shape));
        // 27 MobileNet convs, 3 detection blocks of 6, 3 heads and 2 transitions.
        Assert.Equal(50, TaskExtraction.Extract(yolo, Target.Host).Where(t => !t.Alternative).Sum(t => t.Count));
        Assert.Equal(47, yolo.Nodes.Count(n => n.OpType is "LeakyRelu") + 27);

        var ssd = ModelZoo.Build("ssd512_resnet50_v1_voc");
        Assert.Equal([[1, 6132, 21], [1, 6132, 4]], ssd.Outputs.Select(ssd.Shape));
        // ResNet-50's 53 convs up to stage 4, 8 expander convs, 6 class and 6 box predictors; no dense layer.
        var tasks = TaskExtraction.Extract(ssd, Target.Host);
        Assert.Equal(73, tasks.Where(t => !t.Alternative).Sum(t => t.Count));
        Assert.DoesNotContain(tasks, t => t.Task.Name == DenseTemplate.Name);
    }

    /// <summary>Gluon CV's SimplePoseResNet defaults: three Conv2DTranspose(256, kernel 4, strides 2, padding 1,
    /// output_padding 0, use_bias False), each + BN + ReLU, from ResNet-18 V1b's stride-32 map back to stride 4, then a
    /// 1x1 conv with bias to 17 joints. The transposed convs are no tasks (they run the plain operator).</summary>
    [Fact]
    public void Simple_pose_has_the_gluon_deconv_head_and_17_heatmaps()
    {
        var pose = ModelZoo.Build("simple_pose_resnet18_v1b");
        Assert.Equal([1, 3, 256, 192], pose.Inputs.Single().Value);
        Assert.Equal([[1, 17, 64, 48]], pose.Outputs.Select(pose.Shape));

        // The nodes as defined, which the ONNX export writes.
        var nodes = pose.SourceNodes.ToList();
        var deconvs = nodes.Where(n => n.OpType == "ConvTranspose").ToList();
        Assert.Equal(3, deconvs.Count);
        Assert.Equal([[512, 256, 4, 4], [256, 256, 4, 4], [256, 256, 4, 4]], deconvs.Select(n => pose.Shape(n.Inputs[1])));
        Assert.Equal([[1, 256, 16, 12], [1, 256, 32, 24], [1, 256, 64, 48]], deconvs.Select(n => pose.Shape(n.Outputs[0])));
        foreach (var deconv in deconvs)
        {
            Assert.Equal(2, deconv.Inputs.Count);
            Assert.Equal(["kernel_shape", "strides", "pads", "output_padding", "group"], deconv.Attributes.Keys);
            Assert.Equal([4, 4], deconv.Ints("kernel_shape", []));
            Assert.Equal([2, 2], deconv.Ints("strides", []));
            Assert.Equal([1, 1, 1, 1], deconv.Ints("pads", []));
            Assert.Equal([0, 0], deconv.Ints("output_padding", []));
            Assert.Equal(1, deconv.Int("group", 0));
            var bn = nodes[nodes.IndexOf(deconv) + 1];
            var relu = nodes[nodes.IndexOf(deconv) + 2];
            Assert.Equal(("BatchNormalization", deconv.Outputs[0]), (bn.OpType, bn.Inputs[0]));
            Assert.Equal(("Relu", bn.Outputs[0]), (relu.OpType, relu.Inputs[0]));
        }
        var joints = nodes[^1];
        Assert.Equal(("Conv", pose.Outputs[0], 3), (joints.OpType, joints.Outputs[0], joints.Inputs.Count));
        Assert.Equal(nodes[^2].Outputs[0], joints.Inputs[0]);

        // ResNet-18's 20 backbone convs, the 1x1 joint conv and the three transposed convs, each a task; no classifier.
        var tasks = TaskExtraction.Extract(pose, Target.Host);
        Assert.Equal(24, tasks.Where(t => !t.Alternative).Sum(t => t.Count));
        Assert.Equal(15, tasks.Count(t => !t.Alternative));
        Assert.Equal(3, tasks.Count(t => t.Task.Name == Tessel.Templates.Conv2dTranspose.Conv2dTransposeTemplate.Name));
        Assert.Contains(tasks, t => t.Task.Workload.Equals(Conv2dNchwTemplate.Workload([1, 256, 64, 48], [17, 256, 1, 1], [1, 1], [0, 0, 0, 0], [1, 1], 1)));
        Assert.DoesNotContain(tasks, t => t.Task.Name == DenseTemplate.Name);
    }

    [Fact]
    public void An_unknown_zoo_name_is_an_error_listing_the_models()
    {
        var e = Assert.Throws<ArgumentException>(() => ModelZoo.Build("alexnet"));
        Assert.Contains("'alexnet'", e.Message);
        Assert.Contains("resnet50_v1", e.Message);
    }
}
