using System.Runtime.Intrinsics;

namespace Tessel.Graph.Operators;

/// <summary>A max or an average, as a struct so each pool loop (NCHW in <see cref="PoolPlane"/>, blocked in
/// <c>BlockedPoolStep</c>) is compiled for it with no per-tap branch.</summary>
internal interface IPoolReduction
{
    static abstract bool Averages { get; }
    static abstract float Identity { get; }
    static abstract float Combine(float acc, float tap);
    static abstract Vector256<float> Combine(Vector256<float> acc, Vector256<float> tap);
    static abstract Vector512<float> Combine(Vector512<float> acc, Vector512<float> tap);
}

internal readonly struct MaxReduction : IPoolReduction
{
    public static bool Averages => false;
    public static float Identity => float.NegativeInfinity;

    // MaxNative is one maxss, where a compare and select was a branch that post-ReLU data (half zeros, at random)
    // mispredicted every other tap.
    public static float Combine(float acc, float tap) => float.MaxNative(acc, tap);
    public static Vector256<float> Combine(Vector256<float> acc, Vector256<float> tap) => Vector256.MaxNative(acc, tap);
    public static Vector512<float> Combine(Vector512<float> acc, Vector512<float> tap) => Vector512.MaxNative(acc, tap);
}

internal readonly struct SumReduction : IPoolReduction
{
    public static bool Averages => true;
    public static float Identity => 0f;
    public static float Combine(float acc, float tap) => acc + tap;
    public static Vector256<float> Combine(Vector256<float> acc, Vector256<float> tap) => acc + tap;
    public static Vector512<float> Combine(Vector512<float> acc, Vector512<float> tap) => acc + tap;
}
