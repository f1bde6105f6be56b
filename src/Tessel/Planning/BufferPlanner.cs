namespace Tessel.Planning;

/// <summary>Assigns a buffer to every tensor a model's steps write, reusing the buffer of a tensor whose last
/// reader has run (same element count): activations then occupy a few buffers that stay in cache instead of
/// one fresh buffer per tensor streaming from memory. A view shares its input's buffer, which then lives until
/// the view's last reader. The model's input and outputs keep buffers of their own. The binder allocates them, each on a cache line
/// (<see cref="KernelRuntime.AlignedArrays"/>), as the measurer's are, so that kernels run as they were timed.</summary>
internal sealed class BufferPlanner
{
    private readonly Dictionary<string, string> aliasOf = new(StringComparer.Ordinal);

    /// <summary>The tensors each step reads and writes, in execution order.</summary>
    public List<(string[] Reads, string[] Writes)> Steps { get; } = [];

    /// <summary>Records that <paramref name="view"/> is <paramref name="source"/>'s data under a new shape.</summary>
    public void Alias(string view, string source) => aliasOf[view] = Root(source);

    public string Root(string tensor) => aliasOf.TryGetValue(tensor, out var root) ? root : tensor;

    /// <summary>Buffers (their lengths) for the roots of all written tensors, and the buffer of every tensor the
    /// steps name; <paramref name="size"/> gives a tensor's elements, <paramref name="pinned"/> the tensors whose
    /// buffers are never shared.</summary>
    public (int[] Lengths, Dictionary<string, int> Buffers) Assign(Func<string, int> size, IReadOnlySet<string> pinned)
    {
        var lastUse = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var s = 0; s < Steps.Count; s++)
            foreach (var t in Steps[s].Reads.Concat(Steps[s].Writes))
                lastUse[Root(t)] = s;
        var lengths = new List<int>();
        var bufferOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var free = new Dictionary<int, Stack<int>>();
        int Allocate(int n) { lengths.Add(n); return lengths.Count - 1; }
        var keep = pinned.Select(Root).ToHashSet(StringComparer.Ordinal);
        foreach (var t in keep) bufferOf[t] = Allocate(size(t));
        for (var s = 0; s < Steps.Count; s++)
        {
            foreach (var root in Steps[s].Writes.Select(Root).Where(r => !bufferOf.ContainsKey(r)))
            {
                var n = size(root);
                bufferOf[root] = free.TryGetValue(n, out var stack) && stack.Count > 0 ? stack.Pop() : Allocate(n);
            }
            // Released only after this step's outputs are placed: no step writes over its own inputs.
            foreach (var root in Steps[s].Reads.Concat(Steps[s].Writes).Select(Root).Distinct())
                if (lastUse[root] == s && !keep.Contains(root) && bufferOf.TryGetValue(root, out var done))
                {
                    if (!free.TryGetValue(lengths[done], out var stack)) free[lengths[done]] = stack = new Stack<int>();
                    stack.Push(done);
                }
        }
        var named = Steps.SelectMany(s => s.Reads.Concat(s.Writes)).Concat(pinned).Distinct(StringComparer.Ordinal);
        return (lengths.ToArray(), named.ToDictionary(t => t, t => bufferOf[Root(t)], StringComparer.Ordinal));
    }
}
