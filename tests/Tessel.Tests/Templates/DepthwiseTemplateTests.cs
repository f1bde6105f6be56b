using Tessel.Spaces;
using Tessel.Tasks;
using Tessel.Templates;
using Tessel.Templates.Depthwise;
using Tessel.Tests.Support;
using Tessel.Workloads;

namespace Tessel.Tests.Templates;

public class DepthwiseTemplateTests
{
    private static readonly DepthwiseConv2dNchwTemplate T = DepthwiseConv2dNchwTemplate.Instance;

    public static TheoryData<string, int[], int[], int[], int[], int[]> Workloads => new()
    {
        { "odd", [1, 5, 17, 19], [5, 1, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1] },
        { "pad0011", [1, 6, 10, 12], [6, 1, 3, 3], [1, 1], [0, 0, 1, 1], [1, 1] },
        { "pad1021_s2", [1, 7, 15, 13], [7, 1, 3, 3], [2, 2], [1, 0, 2, 1], [1, 1] },
        { "dil2", [1, 4, 12, 14], [4, 1, 3, 3], [1, 1], [2, 2, 2, 2], [2, 2] },
        { "multiplier2_batch2", [2, 3, 9, 11], [3, 2, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1] },
        { "k5_s2", [1, 8, 23, 21], [8, 1, 5, 5], [2, 2], [2, 2, 2, 2], [1, 1] },
        { "mixed", [1, 3, 13, 29], [3, 1, 3, 5], [2, 3], [0, 2, 1, 0], [1, 2] },
        { "s2_wide_odd_left_pad", [1, 3, 9, 40], [3, 1, 3, 3], [2, 2], [1, 1, 1, 1], [1, 1] },
        { "s2_wide_even_left_pad", [1, 2, 7, 37], [2, 1, 3, 3], [2, 2], [0, 2, 1, 0], [1, 1] },
    };

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Random_configs_match_the_reference(string name, int[] data, int[] kernel, int[] strides, int[] pads, int[] dilation)
    {
        var workload = DepthwiseConv2dNchwTemplate.Workload(data, kernel, strides, pads, dilation);
        // Both widths: where the host has no 512-bit vectors, those kernels run the compiled scalar fallback.
        var space = T.DefineSpace(workload, new Target("tessel-cpu -isa=avx512"));
        var configs = KernelChecker.RandomConfigs(T, space, workload, 10, seed: name.Length);
        // Non-factor tiles in every dimension, both orders, kw rolled and unrolled, both vector widths.
        foreach (var rowsOuter in new[] { true, false })
        foreach (var unroll in new[] { true, false })
        foreach (var bits in new[] { "256", "512" })
            configs.Add(space.FromValues(new Dictionary<string, KnobValue>
            {
                ["tile_c"] = new SplitValue([Math.Min(2, data[1])]),
                ["tile_oh"] = new SplitValue([Math.Min(5, space["tile_oh"].Count)]),
                ["tile_ow"] = new SplitValue([Math.Min(11, space["tile_ow"].Count)]),
                ["order"] = new ReorderValue(rowsOuter ? [0, 1] : [1, 0]),
                ["unroll_kw"] = new AnnotateValue([unroll ? "unroll" : "none"]),
                [VectorWidth.KnobName] = new ChoiceValue(bits),
            })!);
        KernelChecker.CheckAll(T, workload, configs, seed: name.Length * 7, threads: name.Length % 2 + 1);
    }

    [Fact]
    public void Workload_args_are_autotvm_shaped_and_the_template_is_registered()
    {
        var workload = DepthwiseConv2dNchwTemplate.Workload([1, 144, 56, 56], [144, 1, 3, 3], [2, 2], [1, 1, 1, 1], [1, 1]);
        Assert.Equal("[[\"TENSOR\",[1,144,56,56],\"float32\"],[\"TENSOR\",[144,1,3,3],\"float32\"],[2,2],[1,1,1,1],[1,1],\"float32\"]", workload.Args.ToJsonString());
        Assert.Same(T, TemplateRegistry.Find("depthwise_conv2d_nchw.x86"));
        Assert.Equal(2L * 144 * 28 * 28 * 9, T.Flops(workload));
    }

    [Theory]
    [InlineData(new[] { 1, 144, 56, 56 }, new[] { 144, 1, 3 }, "kernel must have 4 positive dims")]
    [InlineData(new[] { 1, 144, 56, 56 }, new[] { 96, 1, 3, 3 }, "must equal data channels 144")]
    [InlineData(new[] { 1, 144, 2, 2 }, new[] { 144, 1, 5, 5 }, "does not fit")]
    public void Bad_shapes_are_named(int[] data, int[] kernel, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => DepthwiseConv2dNchwTemplate.Workload(data, kernel, [1, 1], [0, 0, 0, 0], [1, 1]));
        Assert.Contains(message, e.Message);
    }
}
