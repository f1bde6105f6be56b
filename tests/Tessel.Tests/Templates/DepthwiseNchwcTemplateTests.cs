using Tessel.Tasks;
using Tessel.Templates;
using Tessel.Templates.Depthwise;
using Tessel.Templates.DepthwiseNchwc;
using Tessel.Tests.Support;
using Tessel.Workloads;

namespace Tessel.Tests.Templates;

public class DepthwiseNchwcTemplateTests
{
    private static readonly DepthwiseNchwcTemplate T = DepthwiseNchwcTemplate.Instance;
    private static readonly Target Avx512 = new("tessel-cpu -isa=avx512");

    // Channel counts that no block divides, strides, dilation, asymmetric padding, planes so small that every
    // column crosses a border, and a batch of two.
    public static TheoryData<string, int[], int[], int[], int[], int[]> Workloads => new()
    {
        { "3x3_pad1", [1, 32, 14, 14], [32, 1, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1] },
        { "odd_channels_stride2", [1, 13, 11, 9], [13, 1, 3, 3], [2, 2], [1, 1, 1, 1], [1, 1] },
        { "5x5_dilated_asymmetric_batch2", [2, 20, 13, 12], [20, 1, 5, 5], [1, 2], [3, 1, 2, 4], [2, 1] },
        { "all_edges", [1, 24, 3, 2], [24, 1, 3, 3], [2, 1], [1, 1, 1, 1], [1, 1] },
        { "unpadded", [1, 40, 9, 17], [40, 1, 3, 3], [1, 1], [0, 0, 0, 0], [1, 1] },
    };

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Random_configs_match_the_reference(string name, int[] data, int[] kernel, int[] strides, int[] padding, int[] dilation)
    {
        var workload = DepthwiseNchwcTemplate.Workload(data, kernel, strides, padding, dilation);
        var space = T.DefineSpace(workload, Avx512);
        var seed = name.Aggregate(13, (h, ch) => h * 31 + ch) & 0xFFFF;
        var configs = KernelChecker.RandomConfigs(T, space, workload, 10, seed);
        var p = DepthwiseParams.From(workload);
        foreach (var blockVectors in new[] { 1, 2 })
        foreach (var bits in new[] { "256", "512" })
            configs.Add(DepthwiseNchwcTemplate.Config(space, blockVectors, Math.Min(5, p.OW), Math.Min(3, p.OH), bits));
        KernelChecker.CheckAll(T, workload, configs, seed);
    }

    [Fact]
    public void Fused_epilogue_and_two_threads_match_the_reference()
    {
        var workload = DepthwiseNchwcTemplate.Workload([2, 36, 10, 10], [36, 1, 3, 3], [2, 2], [1, 1, 1, 1], [1, 1]);
        var space = T.DefineSpace(workload, Avx512);
        var configs = KernelChecker.RandomConfigs(T, space, workload, 6, 5);
        KernelChecker.CheckAll(T, workload, configs, 5, threads: 2, epilogue: new FusedEpilogue(FusedEpilogue.Functions.Clamp, 0, 6));
        KernelChecker.CheckAll(T, workload, configs, 6, threads: 1, epilogue: new FusedEpilogue(FusedEpilogue.Functions.HardSigmoid, 0.2f, 0.5f) { Shift = 0.25f });
    }

    [Fact]
    public void Depthwise_convs_of_multiplier_one_have_a_blocked_form_that_keeps_its_block()
    {
        var direct = DepthwiseConv2dNchwTemplate.Workload([1, 24, 8, 8], [24, 1, 3, 3], [2, 2], [1, 1, 1, 1], [1, 1]);
        var (template, workload) = Assert.Single(TemplateRegistry.Alternatives(direct));
        Assert.Same(T, template);
        Assert.Equal(direct.Args.ToJsonString(), workload.Args.ToJsonString());
        Assert.Equal(DepthwiseConv2dNchwTemplate.Instance.Flops(direct), T.Flops(workload));
        var space = T.DefineSpace(workload, Avx512);
        foreach (var config in KernelChecker.RandomConfigs(T, space, workload, 6, 2))
        {
            var (input, output) = T.Blocks(workload, config);
            Assert.Equal(input, output);
            Assert.Contains(output, new[] { 8, 16, 32 });
        }
        // A multiplier of 2 reads each input channel into two output channels: no shared block.
        var multiplied = DepthwiseConv2dNchwTemplate.Workload([1, 8, 8, 8], [8, 2, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1]);
        Assert.Empty(TemplateRegistry.Alternatives(multiplied));
        Assert.Throws<ArgumentException>(() => T.DefineSpace(DepthwiseNchwcTemplate.FromDirect(multiplied), Avx512));
    }
}
