using Tessel.Tasks;
using Tessel.Templates;
using Tessel.Templates.Conv2d;
using Tessel.Templates.Conv2dNchwc;
using Tessel.Tests.Support;
using Tessel.Workloads;

namespace Tessel.Tests.Templates;

public class Conv2dNchwcTemplateTests
{
    private static readonly Conv2dNchwcTemplate T = Conv2dNchwcTemplate.Instance;
    private static readonly Target Avx512 = new("tessel-cpu -isa=avx512");

    // Channel counts that no block divides, image inputs (C <= 4, read as NCHW), strides, dilation, pointwise
    // planes re-cut into flat rows, and a batch of two.
    public static TheoryData<string, int[], int[], int[], int[], int[]> Workloads => new()
    {
        { "3x3_pad1", [1, 16, 14, 14], [32, 16, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1] },
        { "odd_channels", [1, 13, 11, 9], [21, 13, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1] },
        { "image_input_stride2", [1, 3, 23, 23], [24, 3, 7, 7], [2, 2], [3, 3, 3, 3], [1, 1] },
        { "pointwise_flat", [1, 40, 7, 7], [24, 40, 1, 1], [1, 1], [0, 0, 0, 0], [1, 1] },
        { "pointwise_stride2", [1, 24, 14, 14], [40, 24, 1, 1], [2, 2], [0, 0, 0, 0], [1, 1] },
        { "dilated_asymmetric_batch2", [2, 10, 12, 9], [9, 10, 3, 3], [1, 2], [2, 1, 0, 2], [2, 1] },
    };

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Random_configs_match_the_reference(string name, int[] data, int[] kernel, int[] strides, int[] padding, int[] dilation)
    {
        var workload = Conv2dNchwcTemplate.Workload(data, kernel, strides, padding, dilation);
        var space = T.DefineSpace(workload, Avx512);
        var seed = name.Aggregate(11, (h, ch) => h * 31 + ch) & 0xFFFF;
        var configs = KernelChecker.RandomConfigs(T, space, workload, 12, seed);
        // Every block with a channel tile that straddles blocks (3 vectors) and one that fills two (a flat
        // pointwise plane has one row).
        foreach (var blockVectors in new[] { 1, 2 })
        foreach (var bits in new[] { "256", "512" })
        {
            configs.Add(Conv2dNchwcTemplate.Config(space, blockVectors, 3, 5, name == "pointwise_flat" ? 1 : 2, Math.Max(1, data[1] / 2), [0, 2, 1], true, "oc", bits));
            configs.Add(Conv2dNchwcTemplate.Config(space, blockVectors, 2, 4, 1, data[1], [1, 0, 2], false, "oh", bits));
        }
        KernelChecker.CheckAll(T, workload, configs, seed);
    }

    [Fact]
    public void Fused_epilogue_and_two_threads_match_the_reference()
    {
        var workload = Conv2dNchwcTemplate.Workload([2, 20, 10, 10], [36, 20, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1]);
        var space = T.DefineSpace(workload, Avx512);
        var configs = KernelChecker.RandomConfigs(T, space, workload, 6, 3);
        KernelChecker.CheckAll(T, workload, configs, 3, threads: 2, epilogue: new FusedEpilogue(FusedEpilogue.Functions.HardSwish, 1 / 6f, 0.5f) { Scale = 0.5f, Shift = 0.25f });
        KernelChecker.CheckAll(T, workload, configs, 4, threads: 1, epilogue: FusedEpilogue.BiasOnly);
    }

    [Fact]
    public void Every_ungrouped_conv_has_a_blocked_form_with_the_same_args()
    {
        var direct = Conv2dNchwTemplate.Workload([1, 8, 8, 8], [8, 8, 1, 1], [2, 2], [0, 0, 0, 0], [1, 1], 1);
        var (template, workload) = Assert.Single(TemplateRegistry.Alternatives(direct));
        Assert.Same(T, template);
        Assert.Equal(direct.Args.ToJsonString(), workload.Args.ToJsonString());
        Assert.Equal(Conv2dNchwTemplate.Instance.Flops(direct), T.Flops(workload));
        Assert.Empty(TemplateRegistry.Alternatives(Conv2dNchwTemplate.Workload([1, 8, 8, 8], [8, 4, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1], 2)));
        Assert.Throws<ArgumentException>(() => T.DefineSpace(Conv2dNchwcTemplate.FromDirect(
            Conv2dNchwTemplate.Workload([1, 8, 8, 8], [8, 4, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1], 2)), Avx512));
    }

    [Fact]
    public void The_blocks_a_config_reads_and_writes_are_its_kernels_layout()
    {
        foreach (var (data, kernel) in new[] { (new[] { 1, 3, 16, 16 }, new[] { 16, 3, 3, 3 }), ([1, 24, 8, 8], [40, 24, 3, 3]) })
        {
            var workload = Conv2dNchwcTemplate.Workload(data, kernel, [1, 1], [1, 1, 1, 1], [1, 1]);
            var space = T.DefineSpace(workload, Avx512);
            var configs = KernelChecker.RandomConfigs(T, space, workload, 4, 9);
            var sources = configs.Select((c, i) => new Tessel.Compilation.KernelSource($"B{i}", T.EmitKernel(workload, c, $"B{i}"))).ToList();
            var batch = Tessel.Compilation.RoslynCompiler.Compile(sources);
            Assert.Empty(batch.Errors);
            var context = new Tessel.Kernels.KernelLoadContext(batch.Image!);
            try
            {
                for (var i = 0; i < configs.Count; i++)
                {
                    var layout = context.Create($"B{i}").Layout!;
                    var (input, output) = T.Blocks(workload, configs[i]);
                    Assert.Equal((input, output), (layout.InputBlock, layout.OutputBlock));
                    // An image's three channels stay NCHW rather than be padded to a block.
                    Assert.Equal(data[1] <= 4 ? 1 : output, input);
                    Assert.Equal((data[1], data[2] * data[3], kernel[0]), (layout.Channels, layout.Plane, layout.OutputChannels));
                }
            }
            finally
            {
                context.Unload();
            }
        }
    }
}
