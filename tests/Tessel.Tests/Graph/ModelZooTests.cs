using Tessel.Graph.Zoo;
using Tessel.Tasks;
using Tessel.Templates.Conv2d;
using Tessel.Templates.Dense;
using Tessel.Templates.Depthwise;

namespace Tessel.Tests.Graph;

public class ModelZooTests
{
    /// <summary>Multiply-accumulates of the Gluon CV definitions (published figures, in billions) and the
    /// number of tunable ops, as a check that the layer shapes in code are the real ones.</summary>
    [Theory]
    [InlineData("resnet18_v1", 1.81, 21, 12)]
    [InlineData("resnet50_v1", 3.86, 54, 21)]
    [InlineData("mobilenetv2_1.0", 0.31, 54, 32)]
    [InlineData("vgg19_bn", 19.6, 19, 12)]
    [InlineData("squeezenet1.1", 0.35, 26, 18)]
    [InlineData("densenet121", 2.83, 121, 67)]
    public void Zoo_models_have_their_published_size_and_tasks(string name, double gmacs, int tunedOps, int tasks)
    {
        var extracted = TaskExtraction.Extract(ModelZoo.Build(name), Target.Host);
        var macs = extracted.Sum(t => t.Count * t.Flops) / 2e9;
        Assert.InRange(macs, gmacs * 0.97, gmacs * 1.03);
        Assert.Equal(tunedOps, extracted.Sum(t => t.Count));
        Assert.Equal(tasks, extracted.Count);
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

    [Fact]
    public void An_unknown_zoo_name_is_an_error_listing_the_models()
    {
        var e = Assert.Throws<ArgumentException>(() => ModelZoo.Build("alexnet"));
        Assert.Contains("'alexnet'", e.Message);
        Assert.Contains("resnet50_v1", e.Message);
    }
}
