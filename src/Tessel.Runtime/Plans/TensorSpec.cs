namespace Tessel.Runtime.Plans;

/// <summary>A model input or output: its name and shape (float32, NCHW for images).</summary>
public sealed record TensorSpec(string Name, int[] Shape)
{
    public int Length => Shape.Aggregate(1, (a, b) => checked(a * b));
}
