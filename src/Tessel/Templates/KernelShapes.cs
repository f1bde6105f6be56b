namespace Tessel.Templates;

/// <summary>Tensor shapes of one kernel call: its data input, its weight, and its output.</summary>
public sealed record KernelShapes(int[] Data, int[] Weight, int[] Output)
{
    public static long Elements(int[] shape) => shape.Aggregate(1L, (a, b) => a * b);

    public long DataElements => Elements(Data);
    public long WeightElements => Elements(Weight);
    public long OutputElements => Elements(Output);
}
