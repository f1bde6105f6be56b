using Tessel.Spaces;
using Tessel.Tasks;
using Tessel.Templates;
using Tessel.Templates.Conv2d;
using Tessel.Templates.Dense;
using Tessel.Templates.Depthwise;
using Tessel.Templates.Winograd;
using Tessel.Tests.Support;
using Tessel.Workloads;

namespace Tessel.Tests.Templates;

/// <summary>Kernels emitted with a fused epilogue (bias, then a function, on each value's last store) match the
/// reference conv followed by the same epilogue: every template that fuses, every function, split reductions
/// (tile_ic below the channels, where only the last tile's stores may apply it), register-tile tails, both
/// vectorisations and one and two threads.</summary>
public class FusedEpilogueTests
{
    private static readonly Target Avx512 = new("tessel-cpu -isa=avx512");

    public static TheoryData<string> Functions => new() { "bias", "relu", "relu6", "leaky", "hardsigmoid", "hardswish", "hardswish_affine" };

    private static FusedEpilogue Epilogue(string name) => name switch
    {
        "bias" => FusedEpilogue.BiasOnly,
        "relu" => new(FusedEpilogue.Functions.Clamp, 0, float.PositiveInfinity),
        "relu6" => new(FusedEpilogue.Functions.Clamp, 0, 0.5f), // a low ceiling, so the clamp bites on this data
        "leaky" => new(FusedEpilogue.Functions.Leaky, 0.1f),
        "hardsigmoid" => new(FusedEpilogue.Functions.HardSigmoid, 0.2f, 0.5f),
        "hardswish" => new(FusedEpilogue.Functions.HardSwish, 1 / 6f, 0.5f),
        "hardswish_affine" => new(FusedEpilogue.Functions.HardSwish, 1 / 6f, 0.5f) { Scale = 0.8f, Shift = 0.25f },
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Functions))]
    public void Conv2d_kernels_with_a_fused_epilogue_match_the_reference(string function)
    {
        var t = Conv2dNchwTemplate.Instance;
        var epilogue = Epilogue(function);
        foreach (var (data, kernel, stride, pad) in new (int[], int[], int, int)[]
                 {
                     ([1, 12, 9, 11], [21, 12, 3, 3], 1, 1),
                     ([2, 10, 12, 20], [19, 10, 1, 1], 1, 0), // a pointwise conv read in place, batch 2
                     ([1, 6, 13, 15], [9, 6, 3, 3], 2, 1),
                 })
        {
            var workload = Conv2dNchwTemplate.Workload(data, kernel, [stride, stride], [pad, pad, pad, pad], [1, 1], 1);
            var space = t.DefineSpace(workload, Avx512);
            var configs = KernelChecker.RandomConfigs(t, space, workload, 6, seed: data[1] * 7 + function.Length);
            var p = Conv2dParams.From(workload);
            foreach (var vec in new[] { "oc", "ow" })
            foreach (var tileIc in new[] { p.ICPerGroup, p.ICPerGroup / 3 + 1 }) // whole and split reductions
            foreach (var bits in new[] { "256", "512" })
                configs.Add(Conv2dNchwTemplate.Config(space, Math.Min(p.OCPerGroup, 11), Math.Min(p.OW, 5), 2, tileIc, [2, 0, 1], vec, true, "oc", bits));
            KernelChecker.CheckAll(t, workload, configs, seed: 3, threads: 1, epilogue);
            KernelChecker.CheckAll(t, workload, configs.Take(4).ToList(), seed: 4, threads: 2, epilogue);
        }
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void Depthwise_kernels_with_a_fused_epilogue_match_the_reference(string function)
    {
        var t = DepthwiseConv2dNchwTemplate.Instance;
        foreach (var stride in new[] { 1, 2 })
        {
            var workload = DepthwiseConv2dNchwTemplate.Workload([1, 7, 15, 21], [7, 1, 3, 3], [stride, stride], [1, 1, 1, 1], [1, 1]);
            var space = t.DefineSpace(workload, Avx512);
            var configs = KernelChecker.RandomConfigs(t, space, workload, 6, seed: stride * 11 + function.Length);
            KernelChecker.CheckAll(t, workload, configs, seed: 5, threads: stride, Epilogue(function));
        }
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void Winograd_kernels_with_a_fused_epilogue_match_the_reference(string function)
    {
        var t = Conv2dWinogradTemplate.Instance;
        var workload = Conv2dWinogradTemplate.Workload([1, 6, 11, 13], [19, 6, 3, 3], [1, 1, 1, 1]);
        var space = t.DefineSpace(workload, Avx512);
        var configs = KernelChecker.RandomConfigs(t, space, workload, 4, seed: function.Length);
        foreach (var m in new[] { 2, 4 })
        foreach (var bits in new[] { "256", "512" })
            configs.Add(Conv2dWinogradTemplate.Config(space, m, 7, 5, bits)); // 7 of 19 channels: a padded last channel tile
        KernelChecker.CheckAll(t, workload, configs, seed: 6, threads: 1, Epilogue(function));
        KernelChecker.CheckAll(t, workload, configs.Take(3).ToList(), seed: 7, threads: 2, Epilogue(function));
    }

    /// <summary>Dense applies the epilogue on the last reduction chunk's stores: whole and split K, both
    /// vectorised axes, both widths, batch 1 and 3.</summary>
    [Theory]
    [MemberData(nameof(Functions))]
    public void Dense_kernels_with_a_fused_epilogue_match_the_reference(string function)
    {
        var t = DenseTemplate.Instance;
        foreach (var (n, k, m) in new[] { (1, 70, 37), (3, 64, 21) })
        {
            var workload = DenseTemplate.Workload([n, k], [m, k]);
            var space = t.DefineSpace(workload, Avx512);
            var configs = KernelChecker.RandomConfigs(t, space, workload, 6, seed: m * 5 + function.Length);
            foreach (var vec in new[] { "m", "k" })
            foreach (var tileK in new[] { 64, 16 }) // one chunk or several
            foreach (var bits in new[] { "256", "512" })
                configs.Add(space.FromValues(new Dictionary<string, KnobValue>
                {
                    ["tile_m"] = new SplitValue([Math.Min(m, 19)]), ["tile_n"] = new SplitValue([Math.Min(n, 2)]), ["tile_k"] = new SplitValue([tileK]),
                    ["vec"] = new ChoiceValue(vec), ["unroll_k"] = new AnnotateValue(["unroll"]), ["parallel"] = new AnnotateValue(["parallel"]),
                    [VectorWidth.KnobName] = new ChoiceValue(bits),
                })!);
            KernelChecker.CheckAll(t, workload, configs, seed: 8, threads: 1, Epilogue(function));
            KernelChecker.CheckAll(t, workload, configs.Take(4).ToList(), seed: 9, threads: 2, Epilogue(function));
        }
    }

    [Fact]
    public void A_kernel_without_a_fused_epilogue_refuses_a_bias()
    {
        var t = Conv2dNchwTemplate.Instance;
        var workload = Conv2dNchwTemplate.Workload([1, 4, 6, 6], [8, 4, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1], 1);
        var source = t.EmitKernel(workload, t.DefaultConfig(t.DefineSpace(workload, Target.Host), workload), "NoEpilogue");
        var batch = Tessel.Compilation.RoslynCompiler.Compile([new Tessel.Compilation.KernelSource("NoEpilogue", source)]);
        var context = new Tessel.Kernels.KernelLoadContext(batch.Image!);
        var kernel = context.Create("NoEpilogue");
        kernel.Prepare(new float[8 * 4 * 9], 1);
        Assert.Throws<NotSupportedException>(() => kernel.SetBias(new float[8]));
        context.Unload();
    }
}
