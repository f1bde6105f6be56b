using Tessel.Spaces;
using Tessel.Tasks;
using Tessel.Templates;
using Tessel.Templates.Conv2d;
using Tessel.Tests.Support;
using Tessel.Workloads;

namespace Tessel.Tests.Templates;

public class Conv2dTemplateTests
{
    private static readonly Conv2dNchwTemplate T = Conv2dNchwTemplate.Instance;

    // Spaces of an AVX-512 target hold both vector widths. On a host without AVX-512 the 512-bit kernels
    // take their scalar path, so there only that path is checked.
    private static readonly Target Avx512 = new("tessel-cpu -isa=avx512");
    private static readonly Target Avx2 = new("tessel-cpu -isa=avx2");

    private static Workload W(int[] data, int[] kernel, int[]? strides = null, int[]? pad = null, int[]? dil = null, int groups = 1) =>
        Conv2dNchwTemplate.Workload(data, kernel, strides ?? [1, 1], pad ?? [0, 0, 0, 0], dil ?? [1, 1], groups);

    private static void CheckAll(Workload workload, IReadOnlyList<ConfigEntity> configs, int seed, int threads = 1) =>
        KernelChecker.CheckAll(T, workload, configs, seed, threads);

    private static List<ConfigEntity> RandomConfigs(ConfigSpace space, Workload workload, int count, int seed) =>
        KernelChecker.RandomConfigs(T, space, workload, count, seed);

    public static TheoryData<string, int[], int[], int[], int[], int[], int> Workloads => new()
    {
        { "odd", [1, 3, 17, 19], [5, 3, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1], 1 },
        { "pad0011", [1, 8, 10, 12], [16, 8, 3, 3], [1, 1], [0, 0, 1, 1], [1, 1], 1 },
        { "pad1021_s2", [1, 6, 9, 11], [12, 6, 3, 3], [2, 2], [1, 0, 2, 1], [1, 1], 1 },
        { "dil2", [1, 8, 12, 12], [8, 8, 3, 3], [1, 1], [2, 2, 2, 2], [2, 2], 1 },
        { "groups2_batch2", [2, 8, 9, 9], [12, 4, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1], 2 },
        { "depthwise", [1, 8, 8, 8], [8, 1, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1], 8 },
        { "1x1", [1, 16, 7, 7], [24, 16, 1, 1], [1, 1], [0, 0, 0, 0], [1, 1], 1 },
        { "1x1_s2", [1, 8, 11, 13], [16, 8, 1, 1], [2, 2], [0, 0, 0, 0], [1, 1], 1 },
        { "1x1_recut_rows", [2, 8, 12, 20], [24, 8, 1, 1], [1, 1], [0, 0, 0, 0], [1, 1], 1 },
        { "mixed", [1, 4, 9, 10], [6, 4, 5, 3], [2, 1], [2, 1, 0, 3], [1, 2], 1 },
        { "nopad_s23_d12", [1, 6, 15, 17], [10, 6, 3, 3], [2, 3], [0, 0, 0, 0], [1, 2], 1 },
        { "s3_k2", [2, 5, 13, 14], [9, 5, 2, 4], [3, 3], [1, 2, 0, 1], [2, 1], 1 },
    };

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Random_configs_match_the_reference(string name, int[] data, int[] kernel, int[] strides, int[] pad, int[] dil, int groups)
    {
        var workload = W(data, kernel, strides, pad, dil, groups);
        var space = T.DefineSpace(workload, Avx512);
        var seed = name.Aggregate(17, (h, ch) => h * 31 + ch) & 0xFFFF;
        var configs = RandomConfigs(space, workload, 14, seed);
        // Both vectorisations and widths, with and without kw unrolling, whatever the draw gave (tiles of the
        // loop nest: a 7x7 pointwise plane is one flat row).
        var p = Conv2dParams.From(workload).LoopNest();
        foreach (var vec in new[] { "oc", "ow" })
        foreach (var unroll in new[] { true, false })
        foreach (var bits in new[] { "256", "512" })
            configs.Add(Conv2dNchwTemplate.Config(space, Math.Min(p.OCPerGroup, bits == "512" ? 19 : 11), Math.Min(p.OW, bits == "512" ? 13 : 7), Math.Min(p.OH, 3), Math.Max(1, p.ICPerGroup / 2
                + 1), [2, 0, 1], vec, unroll, "oc", bits));
        CheckAll(workload, configs, seed);
    }

    [Fact]
    public void Multi_threaded_runs_match_the_reference()
    {
        var workload = W([2, 8, 13, 11], [16, 4, 3, 3], [1, 2], [1, 0, 1, 2], [1, 1], 2);
        var space = T.DefineSpace(workload, Avx512);
        var configs = RandomConfigs(space, workload, 8, 99);
        configs.Add(Conv2dNchwTemplate.Config(space, 8, 5, 2, 3, [0, 1, 2], "oc", true, "oc"));
        configs.Add(Conv2dNchwTemplate.Config(space, 3, 6, 2, 4, [2, 1, 0], "ow", false, "oh"));
        configs.Add(Conv2dNchwTemplate.Config(space, 8, 5, 2, 3, [0, 1, 2], "oc", true, "oh", "512"));
        CheckAll(workload, configs, 99, threads: 2);
    }

    [Fact]
    public void Flat_pointwise_planes_match_the_reference_on_two_threads()
    {
        // 14 x 14 is one row of 196: tiles of 16 columns (and the 4-column tail) run over the old row breaks,
        // channel tiles shared among threads, the defaults of both widths among the configs.
        var workload = W([2, 24, 14, 14], [40, 24, 1, 1]);
        var space = T.DefineSpace(workload, Avx512);
        var configs = RandomConfigs(space, workload, 8, 7);
        configs.Add(Conv2dNchwTemplate.Config(space, 17, 16, 1, 24, [0, 2, 1], "ow", false, "oc", "512"));
        configs.Add(Conv2dNchwTemplate.Config(space, 16, 14, 1, 9, [1, 0, 2], "oc", true, "oc"));
        configs.Add(T.DefaultConfig(space, workload));
        CheckAll(workload, configs, 7, threads: 2);
    }

    [Fact]
    public void Default_config_is_two_channel_vectors_by_a_row_of_columns_on_wide_layers()
    {
        var workload = W([1, 128, 28, 28], [128, 128, 3, 3], [1, 1], [1, 1, 1, 1]);
        var space = T.DefineSpace(workload, Avx2);
        var s = Conv2dSchedule.From(T.DefaultConfig(space, workload));
        Assert.True(s.VecOc);
        Assert.Equal((16, 6, 256), (s.TileOc, s.TileOw, s.Width.Bits));
        Assert.InRange(space.Size, 1_000_000, long.MaxValue);
        Assert.Equal(2 * space.Size, T.DefineSpace(workload, Avx512).Size);

        // AVX-512: 2 zmm of channels x 14 columns (28 divides evenly into 14s), all rows per channel tile,
        // a 64-channel reduction chunk (64 x 9 x 32 floats = 72 KB of weights).
        var wide = Conv2dSchedule.From(T.DefaultConfig(T.DefineSpace(workload, Avx512), workload));
        Assert.Equal((32, 14, 28, 64, 512, "oc"), (wide.TileOc, wide.TileOw, wide.TileOh, wide.TileIc, wide.Width.Bits, wide.Parallel));

        var pointwise = W([1, 256, 56, 56], [64, 256, 1, 1]);
        var ps = Conv2dSchedule.From(T.DefaultConfig(T.DefineSpace(pointwise, Avx2), pointwise));
        Assert.True(ps.VecOc);
        Assert.Equal((24, 4), (ps.TileOc, ps.TileOw));

        // Few channels per group: vectorise over output columns instead.
        var depthwise = W([1, 32, 16, 16], [32, 1, 3, 3], [1, 1], [1, 1, 1, 1], groups: 32);
        var ds = Conv2dSchedule.From(T.DefaultConfig(T.DefineSpace(depthwise, Avx2), depthwise));
        Assert.False(ds.VecOc);
    }

    [Fact]
    public void Pointwise_convs_loop_over_rows_of_whole_vectors()
    {
        // 12 x 20 pixels: rows of 20 leave a tail in every row; the plane is re-cut into 3 rows of 80.
        var recut = Conv2dParams.From(W([1, 8, 12, 20], [24, 8, 1, 1])).LoopNest();
        Assert.Equal((3, 80, 3, 80), (recut.H, recut.W, recut.OH, recut.OW));
        Assert.Equal(3, T.DefineSpace(W([1, 8, 12, 20], [24, 8, 1, 1]), Avx2)["tile_oh"].Count); // the space tiles the loop nest's rows
        // 56 x 56 = 49 rows of 64; rows that are already whole vectors, strides, padding and windows stay.
        var resnet = Conv2dParams.From(W([1, 64, 56, 56], [256, 64, 1, 1])).LoopNest();
        Assert.Equal((49, 64), (resnet.H, resnet.W));
        // 7 x 7 has no divisor that is a multiple of 16: one flat row of 49, tiles running over the row breaks.
        var flat = Conv2dParams.From(W([1, 8, 7, 7], [8, 8, 1, 1])).LoopNest();
        Assert.Equal((1, 49, 1, 49), (flat.H, flat.W, flat.OH, flat.OW));
        // One row has one block of rows: the default shares channel tiles among threads instead.
        var expand = W([1, 64, 14, 14], [384, 64, 1, 1]);
        var squeeze = W([1, 384, 14, 14], [64, 384, 1, 1]);
        foreach (var (workload, target) in new[] { (expand, Avx2), (expand, Avx512), (squeeze, Avx2), (squeeze, Avx512) })
            Assert.Equal("oc", Conv2dSchedule.From(T.DefaultConfig(T.DefineSpace(workload, target), workload)).Parallel);
        foreach (var kept in new[] { W([1, 8, 12, 32], [8, 8, 1, 1]), W([1, 8, 12, 20], [8, 8, 1, 1], [2, 2]), W([1, 8, 12, 20], [8, 8, 1, 1], pad: [1, 1, 1, 1]), W([1, 8, 12, 20], [8, 8, 3, 3]) })
            Assert.Equal(Conv2dParams.From(kept), Conv2dParams.From(kept).LoopNest());
    }

    [Fact]
    public void Column_vectors_over_whole_rows_read_the_data_in_place()
    {
        // Rows re-cut to 80 columns: tiles of 16 (or 8 + 8) whole vectors need no padded copy; a 3x3
        // window without padding neither. Batch 2, so the second image's reads are checked too.
        var pointwise = W([2, 8, 12, 20], [24, 8, 1, 1]);
        var space = T.DefineSpace(pointwise, Avx512);
        CheckAll(pointwise, [
            Conv2dNchwTemplate.Config(space, 24, 16, 1, 8, [1, 0, 2], "ow", true, "oh", "512"),
            Conv2dNchwTemplate.Config(space, 7, 16, 2, 3, [0, 2, 1], "ow", false, "oc", "512"),
            Conv2dNchwTemplate.Config(space, 5, 8, 3, 8, [1, 0, 2], "ow", true, "oh", "256"),
        ], seed: 3);
        var window = W([2, 4, 10, 18], [6, 4, 3, 3]);
        var windowSpace = T.DefineSpace(window, Avx512);
        CheckAll(window, [
            Conv2dNchwTemplate.Config(windowSpace, 6, 16, 2, 4, [1, 0, 2], "ow", true, "oh", "512"),
            Conv2dNchwTemplate.Config(windowSpace, 6, 8, 3, 2, [1, 0, 2], "ow", false, "oh", "256"),
        ], seed: 4);
    }

    [Fact]
    public void Workload_args_are_autotvm_shaped()
    {
        var workload = W([1, 64, 56, 56], [64, 64, 3, 3], [1, 1], [1, 1, 1, 1]);
        Assert.Equal("conv2d_nchw.x86", workload.TaskName);
        Assert.Equal("""[["TENSOR",[1,64,56,56],"float32"],["TENSOR",[64,64,3,3],"float32"],[1,1],[1,1,1,1],[1,1],1,"float32"]""", workload.Args.ToJsonString());
        var p = Conv2dParams.From(workload);
        Assert.Equal((56, 56), (p.OH, p.OW));
        Assert.Equal(2L * 64 * 56 * 56 * 64 * 9, T.Flops(workload));
        Assert.Equal([1, 64, 56, 56], T.Shapes(workload).Output);
        var s2 = Conv2dParams.From(W([1, 3, 224, 224], [64, 3, 7, 7], [2, 2], [3, 3, 3, 3]));
        Assert.Equal((112, 112), (s2.OH, s2.OW));
    }

    [Theory]
    [InlineData("kernel must have 4", new[] { 1, 64, 56, 56 }, new[] { 64, 64, 3 }, 1)]
    [InlineData("data must have 4", new[] { 1, 64, 56 }, new[] { 64, 64, 3, 3 }, 1)]
    [InlineData("[64,32,3,3]", new[] { 1, 64, 56, 56 }, new[] { 64, 32, 3, 3 }, 1)]
    [InlineData("groups 3", new[] { 1, 64, 56, 56 }, new[] { 64, 21, 3, 3 }, 3)]
    [InlineData("does not fit", new[] { 1, 4, 2, 2 }, new[] { 4, 4, 3, 3 }, 1)]
    public void Bad_workloads_are_rejected_with_the_argument_named(string fragment, int[] data, int[] kernel, int groups)
    {
        var e = Assert.Throws<ArgumentException>(() => Conv2dNchwTemplate.Workload(data, kernel, [1, 1], [0, 0, 0, 0], [1, 1], groups));
        Assert.Contains(fragment, e.Message);
        Assert.Contains("got [64,64,3]", Assert.Throws<ArgumentException>(() => Conv2dNchwTemplate.Workload([1, 64, 56, 56], [64, 64, 3], [1, 1], [1, 1, 1, 1], [1, 1], 1)).Message);
        Assert.Throws<ArgumentException>(() => Conv2dNchwTemplate.Workload([1, 4, 8, 8], [4, 4, 3, 3], [0, 1], [0, 0, 0, 0], [1, 1], 1));
        Assert.Throws<ArgumentException>(() => Conv2dNchwTemplate.Workload([1, 4, 8, 8], [4, 4, 3, 3], [1, 1], [0, -1, 0, 0], [1, 1], 1));
        Assert.Throws<ArgumentException>(() => Conv2dNchwTemplate.Workload([1, 4, 8, 8], [4, 4, 3, 3], [1, 1], [0, 0, 0], [1, 1], 1));
    }

    [Fact]
    public void Registry_finds_the_template()
    {
        Assert.Same(Conv2dNchwTemplate.Instance, TemplateRegistry.Find("conv2d_nchw.x86"));
        Assert.Null(TemplateRegistry.Find("nope"));
        Assert.Contains(TemplateRegistry.All, t => t.TaskName == "conv2d_nchw.x86");
    }
}
