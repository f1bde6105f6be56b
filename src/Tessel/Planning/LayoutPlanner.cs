using Tessel.Layouts;

namespace Tessel.Planning;

/// <summary>Which channel blocking (<see cref="ChannelBlocks"/>) holds each tensor of a model, and the conversions
/// between them. A tensor's own name holds it in NCHW; a step that writes it blocked writes a twin named
/// <c>tensor@nchw{b}c</c>. A step that wants a layout its tensor is not in gets a converted twin, planned (once
/// per tensor and layout) right before the first step that wants it.</summary>
internal sealed class LayoutPlanner(Func<string, int[]> shape, Func<string, bool> isConstant)
{
    private readonly Dictionary<string, int> writtenBlock = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Tensor, int Block)> twins = new(StringComparer.Ordinal);
    private readonly HashSet<string> converted = new(StringComparer.Ordinal);

    /// <summary>Plans a conversion step: reads a buffer, writes one (names), with what to convert.</summary>
    public delegate void Conversion(string tensor, string from, int fromBlock, string to, int toBlock);

    /// <summary>The block <paramref name="tensor"/> is written in (1: NCHW).</summary>
    public int BlockOf(string tensor) => writtenBlock.GetValueOrDefault(tensor, 1);

    /// <summary>The buffer name a step writing <paramref name="tensor"/> in <paramref name="block"/> writes.</summary>
    public string Write(string tensor, int block)
    {
        writtenBlock[tensor] = block;
        return Twin(tensor, block);
    }

    /// <summary>Whether <paramref name="tensor"/> is (or is planned to be) held in <paramref name="block"/>: a reader
    /// wanting that layout costs no conversion.</summary>
    public bool Holds(string tensor, int block) =>
        tensor.Length == 0 || isConstant(tensor) || BlockOf(tensor) == block || converted.Contains(Name(tensor, block));

    /// <summary>The buffer name that holds <paramref name="tensor"/> in <paramref name="block"/>, planning a
    /// conversion through <paramref name="convert"/> the first time one is needed.</summary>
    public string Read(string tensor, int block, Conversion convert)
    {
        if (tensor.Length == 0 || isConstant(tensor)) return tensor;
        var have = BlockOf(tensor);
        var name = Twin(tensor, block);
        if (have != block && converted.Add(name)) convert(tensor, Name(tensor, have), have, name, block);
        return name;
    }

    /// <summary>Elements of a buffer: a blocked twin's include its padding lanes.</summary>
    public int Elements(string name)
    {
        if (!twins.TryGetValue(name, out var twin)) return checked((int)shape(name).Aggregate(1L, (a, b) => a * b));
        var s = shape(twin.Tensor);
        return checked((int)ChannelBlocks.Length(s[0], s[1], Plane(s), twin.Block));
    }

    public static int Plane(int[] nchw) => nchw.Skip(2).Aggregate(1, (a, b) => a * b);

    private static string Name(string tensor, int block) => block == 1 ? tensor : $"{tensor}@nchw{block}c";

    // The name of a buffer that will exist, recorded so its size (padding lanes included) is known.
    private string Twin(string tensor, int block)
    {
        var name = Name(tensor, block);
        if (block != 1) twins[name] = (tensor, block);
        return name;
    }
}
