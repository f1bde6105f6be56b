using Tessel.Graph;
using Tessel.Templates;
using Tessel.Templates.Conv2dTranspose;
using Tessel.Tests.Support;
using Tessel.Workloads;

namespace Tessel.Tests.Templates;

public class Conv2dTransposeTemplateTests
{
    private static readonly Conv2dTransposeTemplate T = Conv2dTransposeTemplate.Instance;
    private static readonly Target Avx512 = new("tessel-cpu -isa=avx512");

    // Strides 1 to 3 (stride 3 with a 2-tap kernel leaves phases with no tap at all), asymmetric pads, output padding,
    // dilation, channel counts no vector divides, an image's few channels (read as NCHW) and a batch of two.
    public static TheoryData<string, int[], int[], int[], int[], int[], int[]> Workloads => new()
    {
        { "pose_head_4x4_s2", [1, 16, 6, 5], [16, 24, 4, 4], [2, 2], [1, 1, 1, 1], [0, 0], [1, 1] },
        { "odd_channels_3x3_s2_outpad", [1, 13, 5, 7], [13, 21, 3, 3], [2, 2], [1, 0, 1, 2], [1, 1], [1, 1] },
        { "stride3_kernel2_empty_phases", [1, 9, 4, 3], [9, 17, 2, 2], [3, 3], [0, 0, 0, 0], [2, 1], [1, 1] },
        { "stride1_is_a_flipped_conv", [1, 3, 7, 6], [3, 10, 3, 3], [1, 1], [1, 1, 1, 1], [0, 0], [1, 1] },
        { "dilated_uneven_strides_batch2", [2, 10, 5, 4], [10, 9, 3, 2], [2, 1], [2, 0, 1, 1], [1, 0], [2, 1] },
    };

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Random_configs_match_the_reference(string name, int[] data, int[] kernel, int[] strides, int[] padding, int[] outputPadding, int[] dilation)
    {
        var workload = Conv2dTransposeTemplate.Workload(data, kernel, strides, padding, outputPadding, dilation, 1);
        var space = T.DefineSpace(workload, Avx512);
        var seed = name.Aggregate(13, (h, ch) => h * 31 + ch) & 0xFFFF;
        var configs = KernelChecker.RandomConfigs(T, space, workload, 10, seed);
        // Both layouts and widths, a channel tile that straddles blocks (3 vectors), and the reduction in chunks.
        foreach (var blocked in new[] { true, false })
        foreach (var bits in new[] { "256", "512" })
        {
            configs.Add(Conv2dTransposeTemplate.Config(space, blocked, 1, 3, 3, 1, 2, Math.Max(1, data[1] / 2), [0, 2, 1], "oc", bits));
            configs.Add(Conv2dTransposeTemplate.Config(space, blocked, 2, 2, 2, 2, 5, data[1], [1, 0, 2], "oh", bits));
        }
        configs.Add(T.DefaultConfig(space, workload));
        KernelChecker.CheckAll(T, workload, configs, seed);
    }

    [Fact]
    public void Fused_epilogue_two_threads_and_a_packed_weight_match_the_reference()
    {
        var workload = Conv2dTransposeTemplate.Workload([2, 20, 6, 6], [20, 36, 4, 4], [2, 2], [1, 1, 1, 1], [0, 0], [1, 1], 1);
        var space = T.DefineSpace(workload, Avx512);
        var configs = KernelChecker.RandomConfigs(T, space, workload, 6, 5);
        configs.Add(Conv2dTransposeTemplate.Config(space, false, 1, 2, 3, 2, 4, 7, [2, 0, 1], "oh", "512"));
        KernelChecker.CheckAll(T, workload, configs, 3, threads: 2, epilogue: new FusedEpilogue(FusedEpilogue.Functions.Clamp, 0, 6));
        KernelChecker.CheckAll(T, workload, configs, 4, threads: 2, fromPacked: true);
    }

    [Fact]
    public void Flops_count_only_the_taps_that_land_in_the_output()
    {
        // 4x4 stride 2 pad 1 on 40x40: per axis 40 x 4 taps, of which the first row's tap 0 and the last row's tap 3 are cropped.
        var workload = Conv2dTransposeTemplate.Workload([1, 256, 40, 40], [256, 64, 4, 4], [2, 2], [1, 1, 1, 1], [0, 0], [1, 1], 1);
        Assert.Equal(2L * 64 * 256 * 158 * 158, T.Flops(workload));
        Assert.Equal([1, 64, 80, 80], T.Shapes(workload).Output);
        Assert.Equal([64, 256, 4, 4], T.Shapes(workload).Weight);
    }

    [Fact]
    public void Stride_phases_give_each_output_position_its_taps_once()
    {
        // Every (input, tap) pair that lands in the output is one (phase, q, tap) of the phase form.
        foreach (var (size, kernel, stride, pad, dilation, extra) in new[] { (40, 4, 2, 1, 1, 0), (5, 3, 2, 2, 2, 1), (4, 2, 3, 0, 1, 2), (7, 3, 1, 1, 1, 0) })
        {
            var output = stride * (size - 1) + extra + dilation * (kernel - 1) + 1 - 2 * pad;
            var phases = new StridePhases(size, kernel, stride, pad, dilation, output);
            var fromPhases = new List<(int, int, int)>();
            for (var phase = 0; phase < stride; phase++)
            for (var q = 0; q < phases.Counts[phase]; q++)
                foreach (var (k, offset) in phases.Taps[phase])
                    if (q + offset >= 0 && q + offset < size) fromPhases.Add((phase + stride * q, q + offset, k));
            var direct = new List<(int, int, int)>();
            for (var i = 0; i < size; i++)
            for (var k = 0; k < kernel; k++)
                if (i * stride - pad + k * dilation is var o && o >= 0 && o < output) direct.Add((o, i, k));
            Assert.Equal(direct.Order(), fromPhases.Order());
            Assert.True(phases.Counts.Sum() == output);
        }
    }

    [Fact]
    public void A_model_ConvTranspose_becomes_a_task_with_its_resolved_attributes()
    {
        var graph = new ModelGraph("deconv", new Dictionary<string, int[]> { ["x"] = [1, 8, 5, 5] },
            [Initializer.Random("w", [8, 16, 4, 4], 1, 0.5f)],
            [new Node("ConvTranspose", "up", ["x", "w"], ["y"], new Dictionary<string, object> { ["strides"] = new[] { 2, 2 }, ["auto_pad"] = "SAME_LOWER" })], ["y"], 13);
        var (template, workload) = TemplateRegistry.Primary(graph, graph.Nodes[0])!.Value;
        Assert.Same(T, template);
        Assert.Equal([1, 16, 10, 10], graph.Shape("y"));
        // SAME_LOWER on a full size of 12 for 10 wanted: 2 rows of padding, the extra one at the start.
        Assert.Equal("[[\"TENSOR\",[1,8,5,5],\"float32\"],[\"TENSOR\",[8,16,4,4],\"float32\"],[2,2],[1,1,1,1],[0,0],[1,1],1,\"float32\"]", workload.Args.ToJsonString());
    }

    [Theory]
    [InlineData("\"output_padding\"", "output_padding [2,0] must be non-negative and below the stride or the dilation")]
    [InlineData("\"weight\"", "ConvTranspose weight [6,16,4,4] with group 1 does not fit input [1,8,5,5]")]
    public void Bad_attributes_are_errors_naming_the_node(string what, string message)
    {
        var attributes = new Dictionary<string, object> { ["strides"] = new[] { 2, 2 } };
        if (what.Contains("output_padding")) attributes["output_padding"] = new[] { 2, 0 };
        var weight = what.Contains("weight") ? new[] { 6, 16, 4, 4 } : [8, 16, 4, 4];
        var e = Assert.Throws<NotSupportedException>(() => new ModelGraph("bad", new Dictionary<string, int[]> { ["x"] = [1, 8, 5, 5] },
            [Initializer.Random("w", weight, 1, 0.5f)], [new Node("ConvTranspose", "up1", ["x", "w"], ["y"], attributes)], ["y"], 13));
        Assert.Contains("ConvTranspose 'up1'", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Tune_op_operands_take_an_output_padding_and_reject_one_past_the_stride()
    {
        var ok = T.FromOperands(new OpOperands([1, 4, 3, 3], [4, 5, 3, 3], [2, 2], [1, 1, 1, 1], [1, 1], 1) { OutputPadding = [1, 1] });
        Assert.Equal([1, 5, 6, 6], T.Shapes(ok).Output);
        var e = Assert.Throws<ArgumentException>(() => T.FromOperands(new OpOperands([1, 4, 3, 3], [4, 5, 3, 3], [2, 2], [1, 1, 1, 1], [1, 1], 1) { OutputPadding = [2, 0] }));
        Assert.Contains("output padding", e.Message);
        Assert.Throws<ArgumentException>(() => T.FromOperands(new OpOperands([1, 4, 3, 3], [5, 4, 3, 3], [2, 2], [1, 1, 1, 1], [1, 1], 1)));
    }

    [Fact]
    public void A_record_from_before_tile_rows_reads_back_as_one_row_per_tile()
    {
        var workload = Conv2dTransposeTemplate.Workload([1, 16, 6, 5], [16, 24, 4, 4], [2, 2], [1, 1, 1, 1], [0, 0], [1, 1], 1);
        var space = T.DefineSpace(workload, Avx512);
        var config = Conv2dTransposeTemplate.Config(space, true, 1, 2, 3, 2, 4, 16, [0, 2, 1], "oc", "512");
        var entity = config.EntityJson();
        var older = new System.Text.Json.Nodes.JsonArray(entity.Where(e => e![0]!.GetValue<string>() != "tile_rows").Select(e => e!.DeepClone()).ToArray());
        Assert.Equal(entity.Count - 1, older.Count);
        var read = Conv2dTransposeSchedule.From(space.FromEntityJson(older));
        Assert.Equal(1, read.TileRows);
        Assert.Equal((2, 3, 4, 16), (read.OcVectors, read.TileOw, read.TileOh, read.TileIc));
    }
}
