using Tessel.Spaces;
using Tessel.Tasks;
using Tessel.Templates;
using Tessel.Compilation;
using Tessel.Kernels;
using Tessel.Workloads;

namespace Tessel.Tests.Support;

/// <summary>Compiles a template's kernels for many configs in one batch, runs each (twice, so leftovers of a
/// first run cannot hide a bug) on random data, and compares with the template's naive reference.</summary>
public static class KernelChecker
{
    /// <param name="epilogue">With one, the kernels are emitted with it fused and given a random bias; the
    /// expected output is the reference passed through <see cref="FusedEpilogue.Apply"/>, channel by channel
    /// (dim 1 of the output).</param>
    /// <param name="fromPacked">Each kernel is run as an artifact runs it: a second instance prepared from the first
    /// one's packed weight (<see cref="IKernel.PreparePacked"/>), read in place.</param>
    public static void CheckAll(ITemplate template, Workload workload, IReadOnlyList<ConfigEntity> configs, int seed, int threads = 1, FusedEpilogue? epilogue = null,
        bool fromPacked = false)
    {
        var shapes = template.Shapes(workload);
        var rng = new Random(seed);
        var data = Enumerable.Range(0, (int)shapes.DataElements).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var weight = Enumerable.Range(0, (int)shapes.WeightElements).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var expected = new float[shapes.OutputElements];
        template.Reference(workload, data, weight, expected);
        var channels = shapes.Output[1];
        var bias = Enumerable.Range(0, channels).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        if (epilogue is not null)
        {
            var plane = (int)(shapes.OutputElements / shapes.Output[0] / channels);
            for (var k = 0; k < expected.Length; k++) expected[k] = epilogue.Apply(expected[k], bias[k / plane % channels]);
        }
        var maxRef = expected.Max(Math.Abs);
        Assert.True(maxRef > 0);

        var prefix = template.TaskName.Split('.')[0];
        var sources = configs.Select((c, i) => new KernelSource($"{prefix}_{seed}_{i}", template.EmitKernel(workload, c, $"{prefix}_{seed}_{i}", epilogue))).ToList();
        var batch = RoslynCompiler.Compile(sources);
        Assert.True(batch.Errors.Count == 0, string.Join("\n", batch.Errors.Select(e => $"{e.Key}: {e.Value}")));
        var context = new KernelLoadContext(batch.Image!);
        try
        {
            for (var i = 0; i < configs.Count; i++)
            {
                var kernel = context.Create(sources[i].ClassName);
                kernel.Prepare(weight, threads);
                float[]? packed = null;
                if (fromPacked)
                {
                    packed = GC.AllocateArray<float>(kernel.Packed.Length, pinned: true);
                    kernel.Packed.CopyTo(packed);
                    kernel = context.Create(sources[i].ClassName);
                    unsafe { fixed (float* p = packed) kernel.PreparePacked(p, packed.Length, threads); }
                }
                if (epilogue is not null) kernel.SetBias(bias);
                var output = new float[expected.Length];
                // A channel-blocked kernel runs on its own layout: the data converted in, the output converted back.
                var layout = kernel.Layout;
                var blockedData = new float[layout?.InputLength ?? 0];
                var blockedOutput = new float[layout?.OutputLength ?? 0];
                for (var rep = 0; rep < 2; rep++)
                {
                    Array.Fill(output, float.NaN);
                    Array.Fill(blockedOutput, float.NaN);
                    unsafe
                    {
                        fixed (float* d = data, o = output, bd = blockedData, bo = blockedOutput)
                        {
                            if (layout is null) kernel.Run(d, o);
                            else
                            {
                                Tessel.Layouts.ChannelBlocks.Convert(d, 1, bd, layout.InputBlock, layout.Batch, layout.Channels, layout.Plane);
                                kernel.Run(bd, bo);
                                Tessel.Layouts.ChannelBlocks.Convert(bo, layout.OutputBlock, o, 1, layout.Batch, layout.OutputChannels, layout.OutputPlane);
                            }
                        }
                    }
                    var err = 0.0;
                    for (var k = 0; k < output.Length; k++) err = Math.Max(err, Math.Abs((double)output[k] - expected[k]));
                    Assert.True(err / maxRef <= 1e-3 && !double.IsNaN(err), $"{workload} config {configs[i]}: relative error {err / maxRef}");
                }
                GC.KeepAlive(packed);
            }
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>The default config plus <paramref name="count"/> seeded random ones.</summary>
    public static List<ConfigEntity> RandomConfigs(ITemplate template, ConfigSpace space, Workload workload, int count, int seed)
    {
        var rng = new Random(seed);
        var list = new List<ConfigEntity> { template.DefaultConfig(space, workload) };
        for (var i = 0; i < count; i++) list.Add(space.Get(rng.NextInt64(space.Size)));
        return list;
    }
}
