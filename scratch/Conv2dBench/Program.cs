using System.Diagnostics;
using Tessel.Codegen;
using Tessel.Spaces;
using Tessel.Tasks;
using Tessel.Templates.Conv2d;

var T = Conv2dNchwTemplate.Instance;
var layers = new (string Name, Workload W)[]
{
    ("3x3 64x56", Conv2dNchwTemplate.Workload([1, 64, 56, 56], [64, 64, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1], 1)),
    ("3x3 128x28", Conv2dNchwTemplate.Workload([1, 128, 28, 28], [128, 128, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1], 1)),
    ("3x3 256x14", Conv2dNchwTemplate.Workload([1, 256, 14, 14], [256, 256, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1], 1)),
    ("1x1 256->64 56", Conv2dNchwTemplate.Workload([1, 256, 56, 56], [64, 256, 1, 1], [1, 1], [0, 0, 0, 0], [1, 1], 1)),
    ("1x1 s2 256->512 56", Conv2dNchwTemplate.Workload([1, 256, 56, 56], [512, 256, 1, 1], [2, 2], [0, 0, 0, 0], [1, 1], 1)),
    ("3x3 s2 128 56", Conv2dNchwTemplate.Workload([1, 128, 56, 56], [128, 128, 3, 3], [2, 2], [1, 1, 1, 1], [1, 1], 1)),
};
var only = args.Length > 0 ? args[0] : null;
RoslynCompiler.WarmUp();
foreach (var (name, w) in layers)
{
    if (only != null && only != "compile" && !name.Contains(only)) continue;
    var space = T.DefineSpace(w);
    var p = Conv2dParams.From(w);
    Console.WriteLine($"== {name}: {p}  space={space.Size:E2} ({space})");
    if (only == "compile") continue;
    var configs = new List<(string, ConfigEntity)> { ("default", T.DefaultConfig(space, w)) };
    void Add(int toc, int tow, int toh, int tic, int[] order, string vec, bool unroll = true)
    {
        toc = Math.Min(toc, p.OCPerGroup); tow = Math.Min(tow, p.OW); toh = Math.Min(toh, p.OH); tic = Math.Min(tic, p.ICPerGroup);
        configs.Add(($"oc{toc} ow{tow} oh{toh} ic{tic} [{string.Join(",", order.Select(i => Conv2dNchwTemplate.OuterAxes[i]))}] {vec}{(unroll ? "" : " nounroll")}",
            Conv2dNchwTemplate.Config(space, toc, tow, toh, tic, order, vec, unroll, "oh")));
    }
    var all = p.ICPerGroup;
    foreach (var tow in new[] { 4, 6, 7, 8 }) Add(16, tow, 1, all, [1, 0, 2], "oc");
    Add(16, 6, 1, all, [1, 0, 2], "oc", false);
    Add(24, 4, 1, all, [1, 0, 2], "oc");
    Add(32, 3, 1, all, [1, 0, 2], "oc");
    Add(8, 12, 1, all, [1, 0, 2], "oc");
    Add(16, 6, 4, all, [0, 1, 2], "oc");
    Add(16, 6, 2, all, [0, 1, 2], "oc");
    Add(16, 6, 8, 64, [0, 1, 2], "oc");
    Add(16, 6, 1, 64, [1, 2, 0], "oc");
    Add(4, 16, 1, all, [1, 0, 2], "ow");
    Add(6, 16, 1, all, [1, 0, 2], "ow");
    Add(12, 8, 1, all, [1, 0, 2], "ow");
    var sources = configs.Select((c, i) => new KernelSource($"B{i}", T.EmitKernel(w, c.Item2, $"B{i}"))).ToList();
    var batch = RoslynCompiler.Compile(sources);
    foreach (var e in batch.Errors) Console.WriteLine($"ERR {e.Key}: {e.Value}");
    var ctx = new KernelLoadContext(batch.Image!);
    var shapes = T.Shapes(w);
    var rng = new Random(1);
    var data = Enumerable.Range(0, (int)shapes.DataElements).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
    var weight = Enumerable.Range(0, (int)shapes.WeightElements).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
    var output = new float[shapes.OutputElements];
    for (var i = 0; i < configs.Count; i++)
    {
        var k = ctx.Create($"B{i}");
        k.Prepare(weight, 1);
        double best = double.MaxValue;
        unsafe
        {
            fixed (float* d = data, o = output)
            {
                for (var r = 0; r < 3; r++) k.Run(d, o);
                var total = Stopwatch.StartNew();
                while (total.Elapsed.TotalSeconds < 0.4)
                {
                    var sw = Stopwatch.StartNew();
                    k.Run(d, o);
                    best = Math.Min(best, sw.Elapsed.TotalSeconds);
                }
            }
        }
        Console.WriteLine($"  {configs[i].Item1,-45} {p.Flops / best / 1e9,7:F1} GFLOP/s  {best * 1e3:F3} ms");
    }
    ctx.Unload();
}
if (only == "compile" || only == null)
{
    foreach (var (name, w) in layers.Take(2))
    {
        var space = T.DefineSpace(w);
        var rng = new Random(5);
        var srcs = Enumerable.Range(0, 50).Select(i => new KernelSource($"R{i}", T.EmitKernel(w, space.Get(rng.NextInt64(space.Size)), $"R{i}"))).ToList();
        var chars = srcs.Sum(s => s.Source.Length);
        var sw = Stopwatch.StartNew();
        var b = RoslynCompiler.Compile(srcs);
        Console.WriteLine($"compile 50 random variants of {name}: {sw.Elapsed.TotalMilliseconds:F0} ms (batch {b.Elapsed.TotalMilliseconds:F0} ms), {chars / 1024} KiB source, errors {b.Errors.Count}");
        var defs = Enumerable.Range(0, 50).Select(i => new KernelSource($"D{i}", T.EmitKernel(w, T.DefaultConfig(space, w), $"D{i}"))).ToList();
        sw.Restart();
        b = RoslynCompiler.Compile(defs);
        Console.WriteLine($"compile 50 default-like variants of {name}: {sw.Elapsed.TotalMilliseconds:F0} ms");
    }
}
