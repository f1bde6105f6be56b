using Tessel.Codegen;
using Tessel.Spaces;
using Tessel.Tasks;
using Tessel.Templates;

namespace Tessel.Tests.Support;

/// <summary>Compiles a template's kernels for many configs in one batch, runs each (twice, so leftovers of a
/// first run cannot hide a bug) on random data, and compares with the template's naive reference.</summary>
public static class KernelChecker
{
    public static void CheckAll(ITemplate template, Workload workload, IReadOnlyList<ConfigEntity> configs, int seed, int threads = 1)
    {
        var shapes = template.Shapes(workload);
        var rng = new Random(seed);
        var data = Enumerable.Range(0, (int)shapes.DataElements).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var weight = Enumerable.Range(0, (int)shapes.WeightElements).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var expected = new float[shapes.OutputElements];
        template.Reference(workload, data, weight, expected);
        var maxRef = expected.Max(Math.Abs);
        Assert.True(maxRef > 0);

        var prefix = template.TaskName.Split('.')[0];
        var sources = configs.Select((c, i) => new KernelSource($"{prefix}_{seed}_{i}", template.EmitKernel(workload, c, $"{prefix}_{seed}_{i}"))).ToList();
        var batch = RoslynCompiler.Compile(sources);
        Assert.True(batch.Errors.Count == 0, string.Join("\n", batch.Errors.Select(e => $"{e.Key}: {e.Value}")));
        var context = new KernelLoadContext(batch.Image!);
        try
        {
            for (var i = 0; i < configs.Count; i++)
            {
                var kernel = context.Create(sources[i].ClassName);
                kernel.Prepare(weight, threads);
                var output = new float[expected.Length];
                for (var rep = 0; rep < 2; rep++)
                {
                    Array.Fill(output, float.NaN);
                    unsafe
                    {
                        fixed (float* d = data, o = output) kernel.Run(d, o);
                    }
                    var err = 0.0;
                    for (var k = 0; k < output.Length; k++) err = Math.Max(err, Math.Abs((double)output[k] - expected[k]));
                    Assert.True(err / maxRef <= 1e-3 && !double.IsNaN(err), $"{workload} config {configs[i]}: relative error {err / maxRef}");
                }
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
