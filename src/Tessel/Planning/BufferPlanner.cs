namespace Tessel.Planning;

/// <summary>Assigns a buffer to every tensor a model's steps write, reusing the buffer of a tensor whose last
/// reader has run (same element count): activations then occupy a few buffers that stay in cache instead of
/// one fresh buffer per tensor streaming from memory. A view shares its input's buffer, which then lives until
/// the view's last reader. The model's input and outputs keep buffers of their own. Every buffer starts on a cache
/// line (<see cref="KernelRuntime.AlignedArrays"/>), as the measurer's do, so that kernels run as they were timed.</summary>
internal sealed class BufferPlanner
{
    private readonly Dictionary<string, string> aliasOf = new(StringComparer.Ordinal);

    /// <summary>The tensors each step reads and writes, in execution order.</summary>
    public List<(string[] Reads, string[] Writes)> Steps { get; } = [];

    /// <summary>Records that <paramref name="view"/> is <paramref name="source"/>'s data under a new shape.</summary>
    public void Alias(string view, string source) => aliasOf[view] = Root(source);

    public string Root(string tensor) => aliasOf.TryGetValue(tensor, out var root) ? root : tensor;

    /// <summary>Buffers for the roots of all written tensors; <paramref name="size"/> gives a tensor's elements,
    /// <paramref name="pinned"/> the tensors whose buffers are never shared.</summary>
    public Dictionary<string, float[]> Assign(Func<string, int> size, IReadOnlySet<string> pinned)
    {
        var lastUse = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var s = 0; s < Steps.Count; s++)
            foreach (var t in Steps[s].Reads.Concat(Steps[s].Writes))
                lastUse[Root(t)] = s;
        var buffers = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var free = new Dictionary<int, Stack<float[]>>();
        var keep = pinned.Select(Root).ToHashSet(StringComparer.Ordinal);
        foreach (var t in keep) buffers[t] = Allocate(size(t));
        for (var s = 0; s < Steps.Count; s++)
        {
            foreach (var root in Steps[s].Writes.Select(Root).Where(r => !buffers.ContainsKey(r)))
            {
                var n = size(root);
                buffers[root] = free.TryGetValue(n, out var stack) && stack.Count > 0 ? stack.Pop() : Allocate(n);
            }
            // Released only after this step's outputs are placed: no step writes over its own inputs.
            foreach (var root in Steps[s].Reads.Concat(Steps[s].Writes).Select(Root).Distinct())
                if (lastUse[root] == s && !keep.Contains(root) && buffers.TryGetValue(root, out var done))
                {
                    if (!free.TryGetValue(done.Length, out var stack)) free[done.Length] = stack = new Stack<float[]>();
                    stack.Push(done);
                }
        }
        return buffers;
    }

    private static float[] Allocate(int n) => KernelRuntime.AlignedArrays.Allocate(n);
}
