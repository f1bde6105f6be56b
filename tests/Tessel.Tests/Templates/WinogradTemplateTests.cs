using Tessel.Kernels;
using Tessel.Templates;
using Tessel.Spaces;
using Tessel.Tasks;
using Tessel.Templates.Conv2d;
using Tessel.Templates.Winograd;
using Tessel.Tests.Support;
using Tessel.Workloads;

namespace Tessel.Tests.Templates;

public class WinogradTemplateTests
{
    private static readonly Conv2dWinogradTemplate T = Conv2dWinogradTemplate.Instance;
    private static readonly Target Avx512 = new("tessel-cpu -isa=avx512");

    public static TheoryData<string, int[], int[], int[]> Workloads => new()
    {
        { "resnet_like", [1, 16, 14, 14], [32, 16, 3, 3], [1, 1, 1, 1] },
        { "odd_sizes", [1, 5, 11, 13], [7, 5, 3, 3], [1, 1, 1, 1] },
        { "no_padding", [1, 8, 10, 9], [12, 8, 3, 3], [0, 0, 0, 0] },
        { "asymmetric_padding_batch2", [2, 6, 9, 7], [19, 6, 3, 3], [0, 1, 2, 1] },
        { "tiny", [1, 3, 3, 3], [4, 3, 3, 3], [1, 1, 1, 1] },
    };

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Random_configs_match_the_direct_reference(string name, int[] data, int[] kernel, int[] padding)
    {
        var workload = Conv2dWinogradTemplate.Workload(data, kernel, padding);
        var space = T.DefineSpace(workload, Avx512);
        var seed = name.Aggregate(7, (h, ch) => h * 31 + ch) & 0xFFFF;
        var configs = KernelChecker.RandomConfigs(T, space, workload, 10, seed);
        var oc = kernel[0];
        foreach (var m in new[] { 2, 4 })
        foreach (var bits in new[] { "256", "512" })
            configs.Add(Conv2dWinogradTemplate.Config(space, m, Math.Min(oc, 19), 5, bits));
        KernelChecker.CheckAll(T, workload, configs, seed);
    }

    [Fact]
    public void Multi_threaded_runs_match_the_direct_reference()
    {
        var workload = Conv2dWinogradTemplate.Workload([2, 8, 12, 10], [24, 8, 3, 3], [1, 1, 1, 1]);
        var space = T.DefineSpace(workload, Avx512);
        KernelChecker.CheckAll(T, workload, KernelChecker.RandomConfigs(T, space, workload, 6, 5), 5, threads: 2);
    }

    [Fact]
    public void Only_3x3_stride_1_ungrouped_convs_have_a_winograd_form()
    {
        var direct = Conv2dNchwTemplate.Workload([1, 8, 8, 8], [8, 8, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1], 1);
        var (template, workload) = Assert.Single(TemplateRegistry.Alternatives(direct), i => i.Template == T);
        Assert.Same(T, template);
        Assert.Equal(direct.Args.ToJsonString(), workload.Args.ToJsonString());
        Assert.Equal(Conv2dNchwTemplate.Instance.Flops(direct), T.Flops(workload));
        foreach (var other in new[]
        {
            Conv2dNchwTemplate.Workload([1, 8, 8, 8], [8, 8, 3, 3], [2, 2], [1, 1, 1, 1], [1, 1], 1),
            Conv2dNchwTemplate.Workload([1, 8, 8, 8], [8, 8, 1, 1], [1, 1], [0, 0, 0, 0], [1, 1], 1),
            Conv2dNchwTemplate.Workload([1, 8, 8, 8], [8, 4, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1], 2),
            Conv2dNchwTemplate.Workload([1, 8, 8, 8], [8, 8, 3, 3], [1, 1], [2, 2, 2, 2], [2, 2], 1),
        })
            Assert.DoesNotContain(TemplateRegistry.Alternatives(other), i => i.Template == T);
        Assert.Throws<ArgumentException>(() => Conv2dWinogradTemplate.Workload([1, 8, 8, 8], [8, 8, 5, 5], [2, 2, 2, 2]));
    }

    [Fact]
    public void Filter_transform_of_F2_is_G_g_G_transposed()
    {
        // A filter of ones: G 1 G^T has row sums of G (1, 1.5, 0.5, 1) in an outer product.
        var u = WinogradMatrices.For(2).TransformFilter(Enumerable.Repeat(1f, 9).ToArray());
        double[] rows = [1, 1.5, 0.5, 1];
        for (var i = 0; i < 4; i++)
        for (var j = 0; j < 4; j++)
            Assert.Equal(rows[i] * rows[j], u[i * 4 + j], 12);
    }
}
