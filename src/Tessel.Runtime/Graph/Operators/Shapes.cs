namespace Tessel.Graph.Operators;

/// <summary>Small shape arithmetic shared by the operators.</summary>
public static class Shapes
{
    public static int Size(int[] shape) => shape.Aggregate(1, (a, b) => checked(a * b));

    public static int Size(int[] shape, int from, int to)
    {
        var size = 1;
        for (var i = from; i < to; i++) size *= shape[i];
        return size;
    }

    /// <summary>Row-major strides of a shape, in elements.</summary>
    public static int[] Strides(int[] shape)
    {
        var strides = new int[shape.Length];
        var s = 1;
        for (var i = shape.Length - 1; i >= 0; i--) { strides[i] = s; s *= shape[i]; }
        return strides;
    }

    /// <summary>A possibly negative axis as an index into a shape of <paramref name="rank"/> dims.</summary>
    public static int Axis(int axis, int rank) =>
        axis < -rank || axis >= rank ? throw new NotSupportedException($"axis {axis} is out of range for rank {rank}") : axis < 0 ? axis + rank : axis;

    /// <summary>A float holding an int64 (shape values travel as floats) as an int, saturating: exporters
    /// write "to the end" as INT64_MAX.</summary>
    public static int ToInt(float v) => v >= int.MaxValue ? int.MaxValue : v <= int.MinValue ? int.MinValue : (int)v;

    /// <summary>The shape both broadcast to (NumPy rules), or an error naming both.</summary>
    public static int[] Broadcast(int[] a, int[] b)
    {
        var rank = Math.Max(a.Length, b.Length);
        var shape = new int[rank];
        for (var i = 0; i < rank; i++)
        {
            var x = i - (rank - a.Length) is var ia && ia >= 0 ? a[ia] : 1;
            var y = i - (rank - b.Length) is var ib && ib >= 0 ? b[ib] : 1;
            shape[i] = x == y || y == 1 ? x : x == 1 ? y
                : throw new NotSupportedException($"shapes [{string.Join(",", a)}] and [{string.Join(",", b)}] do not broadcast");
        }
        return shape;
    }

    /// <summary>Strides for reading a tensor of <paramref name="shape"/> as if it had <paramref name="target"/>'s
    /// shape: 0 along broadcast dims.</summary>
    public static int[] BroadcastStrides(int[] shape, int[] target)
    {
        var own = Strides(shape);
        var strides = new int[target.Length];
        for (var i = 0; i < target.Length; i++)
        {
            var j = i - (target.Length - shape.Length);
            strides[i] = j < 0 || shape[j] == 1 ? 0 : own[j];
        }
        return strides;
    }

    /// <summary>For each element of <paramref name="shape"/> in row-major order, the source offset
    /// sum(index[d] * strides[d]) + offset: the index map of transposes, slices and broadcasts.</summary>
    public static int[] GatherMap(int[] shape, int[] strides, int offset = 0)
    {
        var map = new int[Size(shape)];
        if (map.Length == 0) return map;
        var index = new int[shape.Length];
        var at = offset;
        for (var i = 0; i < map.Length; i++)
        {
            map[i] = at;
            for (var d = shape.Length - 1; d >= 0; d--)
            {
                at += strides[d];
                if (++index[d] < shape[d]) break;
                at -= strides[d] * shape[d];
                index[d] = 0;
            }
        }
        return map;
    }

    public static string Format(int[] shape) => $"[{string.Join(",", shape)}]";
}
