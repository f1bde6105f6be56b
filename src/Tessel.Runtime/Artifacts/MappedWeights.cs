using System.IO.MemoryMappedFiles;

namespace Tessel.Runtime.Artifacts;

/// <summary>An artifact's weights file mapped read-only into memory (<see cref="WeightsFile.Map"/>), its tensors by name.
/// Kernels prepared from it read their weights in place: it must outlive them.</summary>
public sealed unsafe class MappedWeights : IDisposable
{
    private readonly MemoryMappedFile file;
    private readonly MemoryMappedViewAccessor view;
    private readonly byte* start;
    private readonly long length;
    private readonly Dictionary<string, WeightEntry> tensors = new(StringComparer.Ordinal);

    internal MappedWeights(string path, long length)
    {
        this.length = length;
        file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        view = file.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        start = pointer + view.PointerOffset;
    }

    internal bool Add(WeightEntry entry) => tensors.TryAdd(entry.Name, entry);

    internal ReadOnlySpan<byte> Bytes(long offset, int count) =>
        offset + count <= length ? new(start + offset, count) : throw new ArgumentOutOfRangeException(nameof(count));

    public bool Contains(string name) => tensors.ContainsKey(name);

    /// <summary>The tensor's values in place.</summary>
    public ReadOnlySpan<float> Span(string name) => new(Pointer(name), Entry(name).Length);

    /// <summary>The tensor's first value in place (on a 64-byte boundary).</summary>
    public float* Pointer(string name) => (float*)(start + Entry(name).Offset);

    public int Length(string name) => Entry(name).Length;

    private WeightEntry Entry(string name) =>
        tensors.TryGetValue(name, out var entry) ? entry : throw new InvalidDataException($"the weights file has no tensor '{name}'");

    private bool disposed;

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        view.SafeMemoryMappedViewHandle.ReleasePointer();
        view.Dispose();
        file.Dispose();
    }
}
