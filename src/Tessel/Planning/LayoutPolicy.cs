namespace Tessel.Planning;

/// <summary>How the kernel choice weighs channel layouts across a model. Each node picks greedily, in order; a
/// policy says what besides its own time a candidate pays: always the conversion of its input where that is not
/// held in the layout it reads, and with <see cref="Preferred"/>, the conversion of its output where it writes
/// another layout than the preferred one (so a run of blocked kernels is not broken for one layer's small gain,
/// nor entered for one layer's). <see cref="CompiledModel.Compile"/> plans the model under each policy, compiles
/// the distinct plans and keeps the one that runs fastest: a coarse, measured form of TVM's graph tuner, which
/// solves for every layer's layout at once. <see cref="Only"/>: no kernel reads or writes another layout than the
/// preferred one (plain NCHW: every kernel from an NCHW template, no conversion anywhere), so that a model whose
/// blocked kernels are each faster alone but pay more in conversions than they gain (DenseNet's concats and
/// pre-activation BN-ReLU between every conv) still has its all-NCHW plan to be timed against.</summary>
internal sealed record LayoutPolicy(int? Preferred, bool Only = false)
{
    /// <summary>Only input conversions count.</summary>
    public static LayoutPolicy Greedy { get; } = new((int?)null);

    /// <summary>Greedy, plain NCHW preferred, plain NCHW only, and each block the templates write (8, 16, 32 channels) preferred.</summary>
    public static IReadOnlyList<LayoutPolicy> All { get; } = [Greedy, new(1), new(1, Only: true), new(8), new(16), new(32)];

    public override string ToString() => (Preferred is { } b ? b == 1 ? "nchw" : $"nchw{b}c" : "greedy") + (Only ? "-only" : "");
}
