namespace Tessel.Graph;

/// <summary>A constant tensor of a model (a weight). Zoo models make their random weights only when asked
/// (a 140-million-weight VGG need not be in memory to list its tasks); imported ones hold their data.</summary>
public sealed class Initializer(string name, int[] shape, Func<float[]> values, bool integer = false)
{
    private float[]? data;

    public string Name { get; } = name;

    public int[] Shape { get; } = shape;

    /// <summary>Holds int64 values (a shape or index list) in float form; written back as int64 on export.</summary>
    public bool Integer { get; } = integer;

    public long Elements => Shape.Aggregate(1L, (a, b) => a * b);

    public float[] Values => data ??= values();

    public static Initializer Random(string name, int[] shape, int seed, float scale) => new(name, shape, () =>
    {
        var r = new System.Random(seed);
        var v = new float[shape.Aggregate(1, (a, b) => a * b)];
        for (var i = 0; i < v.Length; i++) v[i] = (r.NextSingle() * 2 - 1) * scale;
        return v;
    });
}
