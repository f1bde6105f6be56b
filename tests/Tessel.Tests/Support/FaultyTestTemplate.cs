using System.Text.Json.Nodes;
using Tessel.Spaces;
using Tessel.Tasks;
using Tessel.Templates;
using Tessel.Templates.Scaffold;
using Tessel.Workloads;

namespace Tessel.Tests.Support;

/// <summary>A test-only template: output[i] = data[i] * weight[0], with a "behaviour" knob that makes
/// the kernel misbehave in each way the measurer must survive, and a "salt" knob that makes distinct
/// but equivalent kernels (for throughput runs).</summary>
public sealed class FaultyTestTemplate : ITemplate
{
    public const string Name = "test_scale.x86";

    public static readonly string[] Behaviours = ["ok", "oob", "hang", "wrong", "throw", "nocompile", "badinstance", "failfast", "oom"];

    public string TaskName => Name;

    public static Workload Workload(int n = 4096) => new(Name, new JsonArray(Workloads.Workload.Tensor([n]), Workloads.Workload.Tensor([1])));

    public static TuningTask Task(int n = 4096) => new(new FaultyTestTemplate(), Workload(n), Target.Host);

    public Workload WarmUpWorkload => Workload(64);

    public byte[] OnnxModel(Workload workload, float[] weight) => throw new NotSupportedException("the faulty test template has no ONNX form");

    public ConfigSpace DefineSpace(Workload workload, Target target)
    {
        var space = new ConfigSpace();
        space.Define(new ChoiceKnob("behaviour", Behaviours));
        space.Define(new ChoiceKnob("salt", Enumerable.Range(0, 256).Select(i => (long)i).ToArray()));
        return space;
    }

    public ConfigEntity DefaultConfig(ConfigSpace space, Workload workload) => space.Get(0);

    public long Flops(Workload workload) => workload.TensorShape(0)[0];

    public KernelShapes Shapes(Workload workload) => new(workload.TensorShape(0), [1], workload.TensorShape(0));

    /// <summary>The config with this behaviour and salt.</summary>
    public static ConfigEntity Config(TuningTask task, string behaviour, int salt = 0) =>
        task.Space.FromDigits([Array.IndexOf(Behaviours, behaviour), salt]);

    public string EmitKernel(Workload workload, ConfigEntity config, string className, FusedEpilogue? epilogue = null)
    {
        var n = workload.TensorShape(0)[0];
        var behaviour = config.Choice("behaviour");
        var salt = config.Get<ChoiceValue>("salt").AsLong();
        var body = behaviour switch
        {
            "ok" => $"for (int i = 0; i < {n}; i++) output[i] = data[i] * w;",
            // A store to an unmapped, non-null address: an access violation .NET cannot turn into an exception.
            "oob" => $"for (int i = 0; i < {n}; i++) output[i] = data[i] * w; *(float*)0x100000000000L = 1f;",
            "hang" => "while (System.Threading.Volatile.Read(ref spin) >= 0) { spin++; spin &= 0xffff; }",
            "wrong" => $"for (int i = 0; i < {n}; i++) output[i] = data[i] * w + 1f;",
            "throw" => "throw new System.InvalidOperationException(\"kernel says no\");",
            "nocompile" => "this is not C# at all",
            "failfast" => "System.Environment.FailFast(\"kernel gave up\");",
            // Keeps 64 MB blocks (touched, so the memory is really used) until the worker's heap limit stops it.
            "oom" => "var hoard = new System.Collections.Generic.List<float[]>(); while (true) { var block = new float[1 << 24]; block[^1] = w; hoard.Add(block); }",
            "badinstance" => throw new ArgumentException($"config {config.Index} cannot be instantiated (behaviour badinstance)"),
            _ => throw new ArgumentOutOfRangeException(nameof(config), behaviour, "unknown behaviour"),
        };
        return $$"""
            // salt {{salt}}
            public sealed unsafe class {{className}} : {{RuntimeNames.Kernel}}
            {
                private float w;
                private int spin;
                public void Prepare(System.ReadOnlySpan<float> weight, int threads) { w = weight[0]; }
                public void Run(float* data, float* output)
                {
                    {{body}}
                }
            }
            """;
    }

    public void Reference(Workload workload, ReadOnlySpan<float> data, ReadOnlySpan<float> weight, Span<float> output)
    {
        for (var i = 0; i < output.Length; i++) output[i] = data[i] * weight[0];
    }
}
