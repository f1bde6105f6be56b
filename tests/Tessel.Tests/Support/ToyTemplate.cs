using Tessel.Spaces;
using Tessel.Tasks;
using Tessel.Templates;
using Tessel.Workloads;

namespace Tessel.Tests.Support;

/// <summary>A template with a real space but no kernel, for tuner and record tests driven by the stand-in measurer.</summary>
public sealed class ToyTemplate : ITemplate
{
    public static readonly ToyTemplate Instance = new();

    public string TaskName => "toy.x86";

    public static Workload Workload(int n) => new("toy.x86", [Workloads.Workload.Tensor([n]), n]);

    public Workload WarmUpWorkload => Workload(8);

    public byte[] OnnxModel(Workload workload, float[] weight) => throw new NotSupportedException("the toy template has no ONNX form");

    public ConfigSpace DefineSpace(Workload workload, Target target)
    {
        var n = workload.Int(1);
        var space = new ConfigSpace();
        space.Define(new SplitKnob("tile_x", n));
        space.Define(new SplitKnob("tile_y", n, SplitPolicy.Factors));
        space.Define(new ChoiceKnob("vec", "x", "y"));
        space.Define(new AnnotateKnob("unroll", ["k"], [["unroll"], ["none"]]));
        return space;
    }

    public ConfigEntity DefaultConfig(ConfigSpace space, Workload workload) => space.Get(0);
    public long Flops(Workload workload) => 1_000_000;
    public KernelShapes Shapes(Workload workload) => new([workload.Int(1)], [1], [workload.Int(1)]);
    public string EmitKernel(Workload workload, ConfigEntity config, string className, FusedEpilogue? epilogue = null) => throw new NotSupportedException("the toy template has no kernel");
    public void Reference(Workload workload, ReadOnlySpan<float> data, ReadOnlySpan<float> weight, Span<float> output) => throw new NotSupportedException();

    public static TuningTask Task(int n = 48) => new(Instance, Workload(n), Target.Host);
}
