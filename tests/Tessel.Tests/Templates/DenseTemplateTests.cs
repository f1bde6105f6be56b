using Tessel.Compilation;
using Tessel.Kernels;
using Tessel.Spaces;
using Tessel.Tasks;
using Tessel.Templates;
using Tessel.Templates.Dense;
using Tessel.Tests.Support;
using Tessel.Workloads;

namespace Tessel.Tests.Templates;

public class DenseTemplateTests
{
    private static readonly DenseTemplate T = DenseTemplate.Instance;

    private static ConfigEntity Config(ConfigSpace space, int tm, int tn, int tk, string vec, bool unroll, bool parallel, string bits = "256") =>
        space.FromValues(new Dictionary<string, KnobValue>
        {
            ["tile_m"] = new SplitValue([tm]),
            ["tile_n"] = new SplitValue([tn]),
            ["tile_k"] = new SplitValue([tk]),
            ["vec"] = new ChoiceValue(vec),
            ["unroll_k"] = new AnnotateValue([unroll ? "unroll" : "none"]),
            ["parallel"] = new AnnotateValue([parallel ? "parallel" : "none"]),
            [VectorWidth.KnobName] = new ChoiceValue(bits),
        }) ?? throw new ArgumentException("not in space");

    [Theory]
    [InlineData(1, 37, 19)]
    [InlineData(3, 64, 40)]
    [InlineData(8, 100, 33)]
    [InlineData(1, 2048, 24)]
    public void Random_configs_match_the_reference(int n, int k, int m)
    {
        var workload = DenseTemplate.Workload([n, k], [m, k]);
        var space = T.DefineSpace(workload, Target.Host);
        KernelChecker.CheckAll(T, workload, KernelChecker.RandomConfigs(T, space, workload, 12, seed: n * 1000 + m), seed: k);
    }

    [Fact]
    public void Non_factor_tiles_both_vector_axes_chunked_k_and_two_threads_match_the_reference()
    {
        var workload = DenseTemplate.Workload([5, 45], [27, 45]);
        // Both widths: where the host has no 512-bit vectors, those kernels run the compiled scalar fallback.
        var space = T.DefineSpace(workload, new Target("tessel-cpu -isa=avx512"));
        var configs = new List<ConfigEntity>();
        foreach (var vec in new[] { "m", "k" })
        foreach (var unroll in new[] { true, false })
        foreach (var bits in new[] { "256", "512" })
        {
            configs.Add(Config(space, 11, 3, 16, vec, unroll, parallel: true, bits));
            configs.Add(Config(space, 27, 5, 32, vec, unroll, parallel: false, bits));
            configs.Add(Config(space, 1, 1, 1, vec, unroll, parallel: true, bits));
        }
        KernelChecker.CheckAll(T, workload, configs, seed: 5, threads: 2);
    }

    /// <summary>At batch 1 (bound by reading the weights) the default streams 16-output panels with k unrolled by two, each
    /// step into accumulators of its own (four FMA chains, in the kernel's source as a second set summed at the end), the
    /// whole of K at once, in parallel; at larger batches it keeps the 16 x 4 register tile. Both are right at 1 and 2 threads.</summary>
    [Theory]
    [InlineData(1, 16, 1, true)]
    [InlineData(8, 16, 4, false)]
    public void The_default_config_streams_16_output_panels_in_four_chains_at_batch_1(int n, int tileM, int tileN, bool unrolled)
    {
        var workload = DenseTemplate.Workload([n, 2048], [1000, 2048]);
        var space = T.DefineSpace(workload, Target.Host);
        var config = T.DefaultConfig(space, workload);
        var s = DenseSchedule.From(config);
        Assert.Equal((tileM, tileN, 2048, true, true, 256, unrolled), (s.TileM, s.TileN, s.TileK, s.VecM, s.Parallel, s.Width.Bits, s.UnrollK));
        Assert.Equal(unrolled, T.EmitKernel(workload, config, "Default").Contains("a0_1 += b0_1;"));
        KernelChecker.CheckAll(T, workload, [config], seed: n, threads: 1);
        KernelChecker.CheckAll(T, workload, [config], seed: n, threads: 2);
    }

    /// <summary>vec=m packs the weight panel after panel, each [k][lane] with its zero-padded lanes, so a thread that
    /// runs a contiguous range of m tiles (the kernel splits by range) streams one contiguous region, front to back.</summary>
    [Fact]
    public void Vec_m_weights_are_packed_panel_after_panel_in_the_order_they_are_streamed()
    {
        const int k = 8, m = 20, tm = 8;
        var workload = DenseTemplate.Workload([1, k], [m, k]);
        var config = Config(T.DefineSpace(workload, Target.Host), tm, 1, k, "m", unroll: false, parallel: true);
        var source = T.EmitKernel(workload, config, "PackOrder");
        Assert.Contains("WorkPool.ForRanges(count, threads, item)", source);
        var batch = RoslynCompiler.Compile([new KernelSource("PackOrder", source)]);
        Assert.Empty(batch.Errors);
        var context = new KernelLoadContext(batch.Image!);
        try
        {
            var kernel = context.Create("PackOrder");
            var weight = Enumerable.Range(0, m * k).Select(i => (float)(i + 1)).ToArray();
            kernel.Prepare(weight, threads: 2);
            var packed = kernel.Packed.ToArray();
            const int panels = (m + tm - 1) / tm;
            Assert.Equal(panels * k * tm, packed.Length);
            for (var t = 0; t < panels; t++)
            for (var kk = 0; kk < k; kk++)
            for (var lane = 0; lane < tm; lane++)
            {
                var unit = t * tm + lane;
                Assert.Equal(unit < m ? weight[unit * k + kk] : 0f, packed[(t * k + kk) * tm + lane]);
            }
        }
        finally
        {
            context.Unload();
        }
    }

    [Fact]
    public void Workload_args_are_autotvm_shaped_and_the_template_is_registered()
    {
        var workload = DenseTemplate.Workload([1, 2048], [1000, 2048]);
        Assert.Equal("[[\"TENSOR\",[1,2048],\"float32\"],[\"TENSOR\",[1000,2048],\"float32\"],\"float32\"]", workload.Args.ToJsonString());
        Assert.Same(T, TemplateRegistry.Find("dense.x86"));
        Assert.Equal(2L * 2048 * 1000, T.Flops(workload));
    }

    [Theory]
    [InlineData(new[] { 1, 2048 }, new[] { 1000, 1024 }, "disagree on K")]
    [InlineData(new[] { 1, 2, 3 }, new[] { 1000, 2048 }, "data must have 2 positive dims")]
    [InlineData(new[] { 1, 2048 }, new[] { 0, 2048 }, "weight must have 2 positive dims")]
    public void Bad_shapes_are_named(int[] data, int[] weight, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => DenseTemplate.Workload(data, weight));
        Assert.Contains(message, e.Message);
    }

    /// <summary>Dense gained the vec_bits knob after logs of it were written: such a record reads as the 256-bit
    /// kernel it measured, not as a record that no longer fits.</summary>
    [Fact]
    public void A_record_from_before_the_width_knob_reads_as_256_bits()
    {
        var workload = DenseTemplate.Workload([1, 64], [32, 64]);
        var space = T.DefineSpace(workload, new Target("tessel-cpu -isa=avx512"));
        var config = Config(space, 16, 1, 64, "m", unroll: false, parallel: true);
        var entity = config.EntityJson();
        entity.RemoveAt(entity.Select((item, i) => (item, i)).Single(e => e.item![0]!.GetValue<string>() == VectorWidth.KnobName).i);
        var read = space.FromEntityJson(entity);
        Assert.Equal(config.Index, read.Index);
        Assert.Equal("256", read.Choice(VectorWidth.KnobName));
    }
}
