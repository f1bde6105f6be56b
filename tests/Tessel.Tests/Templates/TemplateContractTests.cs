using Tessel.Compilation;
using Tessel.Kernels;
using Tessel.OnnxRuntime;
using Tessel.Templates;
using Tessel.Tests.Support;
using Tessel.Workloads;

namespace Tessel.Tests.Templates;

/// <summary>What every registered template promises, checked on each one (its warm-up workload): the default
/// config and random ones (both vector widths) compute the reference at one and two threads; a template that fuses
/// epilogues does so; a blocked template's kernels take the layouts it announces; its ONNX form computes the
/// reference in ONNX Runtime. A new template in the registry is checked here without a line of test.</summary>
public class TemplateContractTests
{
    private static readonly Target Avx512 = new("tessel-cpu -isa=avx512");

    public static TheoryData<string> Templates => new(TemplateRegistry.All.Select(t => t.TaskName));

    private static ITemplate Find(string name) => TemplateRegistry.Find(name)!;

    [Theory]
    [MemberData(nameof(Templates))]
    public void Default_and_random_configs_compute_the_reference_at_one_and_two_threads(string name)
    {
        var template = Find(name);
        var workload = template.WarmUpWorkload;
        var configs = KernelChecker.RandomConfigs(template, template.DefineSpace(workload, Avx512), workload, 8, seed: name.Length);
        KernelChecker.CheckAll(template, workload, configs, seed: 1, threads: 1);
        KernelChecker.CheckAll(template, workload, configs, seed: 2, threads: 2);
    }

    /// <summary>An artifact stores each kernel's packed weight and prepares a new instance from it: a template whose
    /// <c>Run</c> read anything of the weight but what <c>PackedWeight</c> holds would compute garbage there.</summary>
    [Theory]
    [MemberData(nameof(Templates))]
    public void A_kernel_prepared_from_a_packed_weight_computes_the_reference(string name)
    {
        var template = Find(name);
        var workload = template.WarmUpWorkload;
        var configs = KernelChecker.RandomConfigs(template, template.DefineSpace(workload, Avx512), workload, 4, seed: name.Length + 2);
        KernelChecker.CheckAll(template, workload, configs, seed: 4, threads: 2, fromPacked: true);
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void A_template_that_fuses_epilogues_computes_them(string name)
    {
        var template = Find(name);
        Assert.True(template.FusesEpilogue || !template.BlocksChannels, "a blocked template must fuse its epilogue: the runtime's pass reads NCHW");
        if (!template.FusesEpilogue) return;
        var workload = template.WarmUpWorkload;
        var configs = KernelChecker.RandomConfigs(template, template.DefineSpace(workload, Avx512), workload, 4, seed: name.Length + 1);
        var epilogue = new FusedEpilogue(FusedEpilogue.Functions.HardSwish, 1 / 6f, 0.5f) { Scale = 0.8f, Shift = 0.25f };
        KernelChecker.CheckAll(template, workload, configs, seed: 3, threads: 2, epilogue);
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Kernels_take_the_layouts_their_template_announces(string name)
    {
        var template = Find(name);
        var workload = template.WarmUpWorkload;
        var space = template.DefineSpace(workload, Avx512);
        var configs = KernelChecker.RandomConfigs(template, space, workload, 4, seed: name.Length + 2);
        var sources = configs.Select((c, i) => new KernelSource($"Layout{i}", template.EmitKernel(workload, c, $"Layout{i}"))).ToList();
        var batch = RoslynCompiler.Compile(sources);
        Assert.Empty(batch.Errors);
        var context = new KernelLoadContext(batch.Image!);
        try
        {
            for (var i = 0; i < configs.Count; i++)
            {
                var layout = context.Create(sources[i].ClassName).Layout;
                var (input, output) = template.Blocks(workload, configs[i]);
                Assert.Equal((input, output), layout is null ? (1, 1) : (layout.InputBlock, layout.OutputBlock));
                // A template whose kernels may be blocked says so (a transposed conv's config picks NCHW or blocked).
                if (layout is not null) Assert.True(template.BlocksChannels);
            }
        }
        finally
        {
            context.Unload();
        }
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void The_onnx_form_computes_the_reference_in_onnx_runtime(string name)
    {
        var template = Find(name);
        var workload = template.WarmUpWorkload;
        var shapes = template.Shapes(workload);
        var random = new Random(5);
        var data = Enumerable.Range(0, (int)shapes.DataElements).Select(_ => random.NextSingle() * 2 - 1).ToArray();
        var weight = Enumerable.Range(0, (int)shapes.WeightElements).Select(_ => random.NextSingle() * 2 - 1).ToArray();
        var expected = new float[shapes.OutputElements];
        template.Reference(workload, data, weight, expected);
        using var ort = new OrtReference(template.OnnxModel(workload, weight), threads: 1);
        var actual = ort.Run(data, shapes.Data);
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-4f);
    }
}
