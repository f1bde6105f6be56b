namespace Tessel.Planning;

/// <summary>Assigns a buffer to every tensor a model's steps write, reusing the buffer of a tensor whose last reader has
/// run: activations then occupy a few buffers that stay in cache instead of one fresh buffer per tensor streaming from
/// memory. A tensor every one of whose steps finds its extent in its own shapes (<see cref="Runtime.Plans.StepSpec.SizedByShape"/>)
/// takes the smallest free buffer at least as long, else grows the longest free one that may grow; any other tensor only
/// a free buffer of exactly its length (a plain op may take its tensor's size from its array's), which never grows after.
/// DenseNet's concats grow by 32 channels a layer, so with exact lengths alone no buffer of a dense block was reused:
/// its plan held 113 buffers (73 MB), now 6 (9.8 MB). A view shares its input's buffer, which then lives until the view's
/// last reader; a tensor placed inside another (a concat's part, <see cref="ConcatPlacement"/>) shares its buffer at an
/// offset. The model's input and outputs keep buffers of their own. The binder allocates them, each on a cache line
/// (<see cref="KernelRuntime.AlignedArrays"/>), as the measurer's are, so that kernels run as they were timed.</summary>
internal sealed class BufferPlanner
{
    /// <summary>The tensor each view or placed part lives in, and where in it (elements).</summary>
    private readonly Dictionary<string, (string Source, int Offset)> aliasOf = new(StringComparer.Ordinal);
    private readonly List<(string[] Reads, string[] Writes, bool SizedByShape)> steps = [];

    /// <summary>Adds the next step in execution order: the tensors it reads and writes, and whether it takes their
    /// extents from its shapes alone.</summary>
    public void Step(string[] reads, string[] writes, bool sizedByShape = false) => steps.Add((reads, writes, sizedByShape));

    /// <summary>Records that <paramref name="view"/> is <paramref name="source"/>'s data from element
    /// <paramref name="offset"/> on: the same data under a new shape at 0, a concat's part elsewhere.</summary>
    public void Alias(string view, string source, int offset = 0) => aliasOf[view] = (source, offset);

    /// <summary>The tensor that owns <paramref name="tensor"/>'s buffer: itself, unless it is a view or a placed part
    /// (of a tensor that may be placed in turn).</summary>
    public string Root(string tensor) => Resolve(tensor).Root;

    /// <summary>Every tensor whose buffer <paramref name="root"/> owns, itself included.</summary>
    public IEnumerable<string> Sharing(string root) => aliasOf.Keys.Where(t => Root(t) == root).Prepend(root);

    private (string Root, int Offset) Resolve(string tensor)
    {
        var offset = 0;
        while (aliasOf.TryGetValue(tensor, out var alias)) (tensor, offset) = (alias.Source, offset + alias.Offset);
        return (tensor, offset);
    }

    /// <summary>Buffers (their lengths) for the roots of all written tensors, the buffer of every tensor the steps
    /// name, and the offset in it of each that does not start at 0; <paramref name="size"/> gives a tensor's elements,
    /// <paramref name="pinned"/> the tensors whose buffers are never shared.</summary>
    public (int[] Lengths, Dictionary<string, int> Buffers, Dictionary<string, int> Offsets) Assign(Func<string, int> size, IReadOnlySet<string> pinned)
    {
        var lastUse = new Dictionary<string, int>(StringComparer.Ordinal);
        var exact = new HashSet<string>(StringComparer.Ordinal);
        for (var s = 0; s < steps.Count; s++)
            foreach (var root in steps[s].Reads.Concat(steps[s].Writes).Select(Root))
            {
                lastUse[root] = s;
                if (!steps[s].SizedByShape) exact.Add(root);
            }
        var lengths = new List<int>();
        var bufferOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var free = new List<int>();
        // A buffer that has held a tensor sized by its array keeps its length: it may serve longer-sized-by-shape
        // tensors later, but never grows.
        var frozen = new HashSet<int>();
        int Allocate(int n) { lengths.Add(n); return lengths.Count - 1; }
        var keep = pinned.Select(Root).ToHashSet(StringComparer.Ordinal);
        foreach (var t in keep) bufferOf[t] = Allocate(size(t));
        for (var s = 0; s < steps.Count; s++)
        {
            foreach (var root in steps[s].Writes.Select(Root).Where(r => !bufferOf.ContainsKey(r)))
            {
                var n = size(root);
                var buffer = exact.Contains(root) ? TakeExact(free, lengths, n) : TakeAtLeast(free, lengths, frozen, n);
                buffer ??= Allocate(n);
                if (exact.Contains(root)) frozen.Add(buffer.Value);
                bufferOf[root] = buffer.Value;
            }
            // Released only after this step's outputs are placed: no step writes over its own inputs.
            foreach (var root in steps[s].Reads.Concat(steps[s].Writes).Select(Root).Distinct())
                if (lastUse[root] == s && !keep.Contains(root) && bufferOf.TryGetValue(root, out var done)) free.Add(done);
        }
        var named = steps.SelectMany(s => s.Reads.Concat(s.Writes)).Concat(pinned).Distinct(StringComparer.Ordinal).ToList();
        var offsets = named.Select(t => (Tensor: t, Resolve(t).Offset)).Where(p => p.Offset != 0)
            .ToDictionary(p => p.Tensor, p => p.Offset, StringComparer.Ordinal);
        return (lengths.ToArray(), named.ToDictionary(t => t, t => bufferOf[Root(t)], StringComparer.Ordinal), offsets);
    }

    /// <summary>A free buffer of exactly <paramref name="n"/> elements, taken off the free list, or null.</summary>
    private static int? TakeExact(List<int> free, List<int> lengths, int n)
    {
        var at = free.FindLastIndex(b => lengths[b] == n);
        if (at < 0) return null;
        var buffer = free[at];
        free.RemoveAt(at);
        return buffer;
    }

    /// <summary>The smallest free buffer of at least <paramref name="n"/> elements, else the longest one that may grow,
    /// grown to <paramref name="n"/>; taken off the free list; null when there is neither.</summary>
    private static int? TakeAtLeast(List<int> free, List<int> lengths, HashSet<int> frozen, int n)
    {
        var fits = free.Where(b => lengths[b] >= n).ToList();
        var growable = free.Where(b => !frozen.Contains(b)).ToList();
        if (fits.Count == 0 && growable.Count == 0) return null;
        var buffer = fits.Count > 0 ? fits.MinBy(b => lengths[b]) : growable.MaxBy(b => lengths[b]);
        free.Remove(buffer);
        lengths[buffer] = Math.Max(lengths[buffer], n);
        return buffer;
    }
}
