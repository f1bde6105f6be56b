using Tessel.Planning;
using Tessel.Runtime.Steps;

namespace Tessel.Tests.Planning;

/// <summary>The runtime's element-wise pass (for steps whose kernel does not fuse the function, and adds) and a
/// kernel's fused epilogue write the same functions twice, once as vector code and once as generated source:
/// they must agree.</summary>
public class ActivationEpilogueTests
{
    public static TheoryData<Activation> Functions => new()
    {
        Activation.Relu, Activation.Clamp(0, 6), Activation.Clamp(-1.5f, 2),
        new Activation(Activation.Kinds.Leaky, 0.1f),
        new Activation(Activation.Kinds.HardSigmoid, 0.2f, 0.5f),
        new Activation(Activation.Kinds.HardSwish, 1 / 6f, 0.5f),
    };

    [Theory]
    [MemberData(nameof(Functions))]
    public void The_runtime_pass_computes_the_fused_epilogue_function(Activation activation)
    {
        var rng = new Random(3);
        // 37 values: whole vectors and a scalar tail, either side of every kink of the functions.
        var values = Enumerable.Range(0, 37).Select(_ => rng.NextSingle() * 16 - 8).ToArray();
        var expected = values.Select(v => ActivationEpilogue.Of(activation)!.Apply(v, 0.25f)).ToArray();
        activation.Apply(values, 0.25f);
        Assert.Equal(expected, values);
    }
}
